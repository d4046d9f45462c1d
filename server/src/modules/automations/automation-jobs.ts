import type { Automation } from "@loopdesk/contracts/rules";
import { sql } from "kysely";
import type { Logger } from "pino";
import type { AppContext } from "../../platform/context";
import { type Executor, enqueue } from "../../platform/jobs/job-queue";
import { ticketsInStatusSince } from "../tickets/ticket-lookup";
import { fireRule } from "./apply-plan";
import { getAutomation, listAutomations } from "./automation-service";
import { evaluateConditions } from "./rule-conditions";
import { ruleFacts } from "./rule-facts";

const HOURLY_QUEUE = "automations.hourly";
const BATCH_QUEUE = "automations.batch";
export const AUTOMATION_BATCH = 200;
const HOUR = 3_600_000;

/** Where a walk stopped: the last ticket's status time as the database prints it (exact to the microsecond) and id. */
type Cursor = { at: string; id: number } | null;

/**
 * Time-based automations ("pending for more than 48 hours → remind the customer"). Every hour
 * each active automation walks the tickets in its status that entered it long enough ago —
 * through the (status, status_changed_at, id) index, in batches of AUTOMATION_BATCH, each batch
 * a job that queues the next from where it stopped, so a large backlog is worked through in full
 * instead of being capped. An automation acts once per ticket and stay in a status (a row in
 * automation_runs keyed by when the ticket entered it), so reruns, overlapping runs and restarts
 * never act twice.
 */
export function registerAutomationJobs(ctx: AppContext) {
  ctx.jobs.define({
    queue: HOURLY_QUEUE,
    handler: async (_payload, { trx }) => {
      await startAutomationRun(trx);
      // Trigger firing counts only matter for the current hour's cap.
      await trx
        .deleteFrom("trigger_firings")
        .where("hour", "<", new Date(Date.now() - 2 * HOUR))
        .execute();
      const next = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
      await enqueue(trx, HOURLY_QUEUE, {}, { runAt: next, dedupeKey: `automations:${next.toISOString()}` });
    },
  });
  ctx.jobs.define<{ automationId: number; cursor: Cursor; startedAt: string }>({
    queue: BATCH_QUEUE,
    handler: async ({ automationId, cursor, startedAt }, { trx, logger }) => {
      const automation = await getAutomation(trx, automationId).catch(() => null);
      if (!automation?.active) return;
      const last = await runAutomationBatch(ctx, trx, automation, cursor, new Date(startedAt), logger);
      if (last)
        await enqueue(
          trx,
          BATCH_QUEUE,
          { automationId, cursor: last, startedAt },
          { dedupeKey: `automation:${automationId}:${startedAt}:${last.at}:${last.id}` },
        );
    },
  });
}

/** Queues one walk per active automation (the hourly job; also "run now" for operators and tests). */
export async function startAutomationRun(db: Executor) {
  const startedAt = new Date().toISOString();
  for (const a of await listAutomations(db, true))
    await enqueue(db, BATCH_QUEUE, { automationId: a.id, cursor: null, startedAt }, { dedupeKey: `automation:${a.id}:${startedAt}:start` });
}

/** Makes sure the hourly run is scheduled (idempotent across restarts and processes). */
export async function scheduleAutomationJobs(db: Executor) {
  const next = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
  await enqueue(db, HOURLY_QUEUE, {}, { runAt: next, dedupeKey: `automations:${next.toISOString()}` });
}

/** One batch of one automation's walk; returns where to continue, or null when the walk is done. */
export async function runAutomationBatch(ctx: AppContext, trx: Executor, a: Automation, cursor: Cursor, now: Date, logger: Logger) {
  const tickets = await ticketsInStatusSince(trx, {
    status: a.status,
    enteredBefore: new Date(now.getTime() - a.hoursInStatus * HOUR),
    after: cursor,
    limit: AUTOMATION_BATCH,
  });
  const ran = await runsOf(
    trx,
    a.id,
    tickets.map((t) => t.id),
  );
  const source = { kind: "automation" as const, id: a.id, name: a.name };
  for (const t of tickets) {
    const episode = t.status_changed_text;
    if (ran.has(`${t.id}@${episode}`)) continue;
    if (!evaluateConditions(a.conditions, await ruleFacts(trx, t, {}, now)).matched) continue;
    const claimed = await trx
      .insertInto("automation_runs")
      .values({ automation_id: a.id, ticket_id: t.id, episode: sql<Date>`${episode}::timestamptz` })
      .onConflict((oc) => oc.doNothing())
      .returning("ticket_id")
      .executeTakeFirst();
    if (!claimed) continue;
    await fireRule(ctx, trx, t, a.actions, source, { type: "automation_fired", data: { automationId: a.id } });
  }
  if (tickets.length) logger.info({ automation: a.id, tickets: tickets.length }, "automation batch");
  const lastTicket = tickets.at(-1);
  return tickets.length === AUTOMATION_BATCH && lastTicket ? { at: lastTicket.status_changed_text, id: lastTicket.id } : null;
}

/** Which of these tickets the automation already acted on, as "id@episode" (episodes exact, as text). */
async function runsOf(trx: Executor, automationId: number, ticketIds: number[]) {
  if (ticketIds.length === 0) return new Set<string>();
  const rows = await trx
    .selectFrom("automation_runs")
    .select(["ticket_id", sql<string>`episode::text`.as("episode")])
    .where("automation_id", "=", automationId)
    .where("ticket_id", "in", ticketIds)
    .execute();
  return new Set(rows.map((r) => `${r.ticket_id}@${r.episode}`));
}
