import { type Executor, enqueueMany } from "../../platform/jobs/job-queue";

/** The queue of single routing decisions (a ticket routed in a transaction of its own). */
export const ROUTE_QUEUE = "routing.route";

export type RouteTrigger = "created" | "waiting" | "claim_timeout" | "rejected" | "returned" | "transferred" | "manual";

/** Routes these tickets right after this transaction commits, each in its own decision. */
export async function routeLater(db: Executor, ticketIds: number[], trigger: RouteTrigger) {
  await enqueueMany(
    db,
    ticketIds.map((ticketId) => ({
      queue: ROUTE_QUEUE,
      payload: { ticketId, trigger },
      dedupeKey: `route:${ticketId}:${trigger}:${Date.now()}`,
    })),
  );
}
