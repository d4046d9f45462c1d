import type { Actor } from "../tickets/ticket-events";
import { type Executor, enqueueMany } from "../../platform/jobs/job-queue";

/** The queue of single routing decisions (a ticket routed in a transaction of its own). */
export const ROUTE_QUEUE = "routing.route";

export type RouteTrigger = "created" | "waiting" | "claim_timeout" | "rejected" | "returned" | "transferred" | "manual";

/** What a decision routed later still needs to know: the team a transfer named, and who asked. */
export type RouteLaterOptions = { teamId?: number; actor?: Actor };

/** Routes these tickets right after this transaction commits, each in its own decision. */
export async function routeLater(db: Executor, ticketIds: number[], trigger: RouteTrigger, opts: RouteLaterOptions = {}) {
  await enqueueMany(
    db,
    ticketIds.map((ticketId) => ({
      queue: ROUTE_QUEUE,
      payload: {
        ticketId,
        trigger,
        ...(opts.teamId !== undefined ? { teamId: opts.teamId } : {}),
        ...(opts.actor ? { actor: opts.actor } : {}),
      },
      dedupeKey: `route:${ticketId}:${trigger}:${Date.now()}`,
    })),
  );
}
