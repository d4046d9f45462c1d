import { sql } from "kysely";
import type { AppContext } from "../../platform/context";
import { enqueue, enqueueUnlessWaiting } from "../../platform/jobs/job-queue";
import { emitTicketEvent } from "./emit-ticket-event";
import { recordTicketEvents, systemActor } from "./ticket-events";

/**
 * Background work of the tickets module: closing solved tickets. (The search document is written
 * with each change, in its transaction: create-ticket, add-message, change-ticket, merge.)
 */
export function registerTicketJobs(ctx: AppContext) {
  // Solved tickets close automatically after LOOPDESK_AUTO_CLOSE_DAYS; runs every 10 minutes.
  ctx.jobs.define({
    queue: "tickets.auto-close",
    handler: async (_payload, { trx }) => {
      const cutoff = new Date(Date.now() - ctx.config.autoCloseDays * 86_400_000);
      const now = new Date();
      const closed = await trx
        .updateTable("tickets")
        .set({ status: "closed", closed_at: now, status_changed_at: now, updated_at: now, version: sql`version + 1` })
        .where("id", "in", (eb) =>
          eb
            .selectFrom("tickets")
            .select("id")
            .where("status", "=", "solved")
            .where("solved_at", "<", cutoff)
            .orderBy("solved_at")
            .limit(500)
            .forNoKeyUpdate()
            .skipLocked(),
        )
        .returning(["id", "number", "customer_id", "organization_id", "department_id", "assignee_id", "participant_ids"])
        .execute();
      for (const t of closed)
        await recordTicketEvents(
          trx,
          t.id,
          systemActor,
          [{ type: "status_changed", field: "status", before: "solved", after: "closed", data: { reason: "auto_close" } }],
          now,
        );
      for (const t of closed)
        await emitTicketEvent(ctx, trx, "ticket.updated", t, {
          fields: ["status"],
          changes: { status: { before: "solved", after: "closed" } },
          byKind: "system",
          byId: null,
        });
      // Next run: soon if there may be more, else in 10 minutes. One pending run at a time.
      const next = new Date(Date.now() + (closed.length === 500 ? 1000 : 600_000));
      await enqueue(trx, "tickets.auto-close", {}, { runAt: next, dedupeKey: `auto-close:${next.toISOString()}` });
    },
  });
}

/** Makes sure the auto-close schedule exists (idempotent across restarts and processes). */
export async function scheduleTicketJobs(ctx: AppContext) {
  await enqueueUnlessWaiting(ctx.db, "tickets.auto-close", { dedupeKey: `auto-close:start:${new Date().toISOString().slice(0, 13)}` });
}
