import type { AppContext } from "../../platform/context";
import { runTriggers } from "./run-triggers";
import { listTriggers } from "./trigger-service";
import { triggerUsage } from "./trigger-usage";

/** Triggers run after each ticket event, in the event's own job (durable, once per event). */
export function registerTriggerJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "triggers",
    types: [
      "ticket.created",
      "ticket.updated",
      "ticket.message_added",
      "ticket.urged",
      "ticket.sla_warning",
      "ticket.sla_breached",
      "ticket.csat_received",
    ],
    active: () => triggerUsage.inUse(ctx.db),
    // Changes triggers made were already seen by the run that made them.
    accepts: ({ payload }) => (payload.via as { kind?: string } | undefined)?.kind !== "trigger",
    handle: async (event, { trx, logger }) => runTriggers(ctx, trx, event, logger, await listTriggers(trx, true)),
  });
}
