import type { PriorityConfig } from "@loopdesk/contracts/routing";
import type { Executor } from "../../platform/jobs/job-queue";
import { customerTiers } from "../customers/customer-service";
import { openTicketIdsAfter, scoreInputs, writeScores } from "../tickets/ticket-routing-state";
import { scoreOf, scoreParts, slaHorizonMinutes } from "./priority-score";

type Row = Awaited<ReturnType<typeof scoreInputs>>[number];

/** Computes the score of these rows and writes those that changed. `withText`: the text may have changed (re-read urgency words). */
async function rescoreRows(db: Executor, config: PriorityConfig, rows: Row[], withText: boolean, now: Date) {
  const tiers = await customerTiers(db, [...new Set(rows.map((r) => r.customer_id))]);
  const changed = rows.flatMap((r) => {
    const parts = scoreParts(
      config,
      {
        tier: tiers.get(r.customer_id) ?? null,
        priority: r.priority,
        categoryId: r.category_id,
        ...(withText ? { text: `${r.subject}\n${r.description}` } : { urgency: r.priority_parts.urgency ?? 0 }),
        slaNextDueAt: r.sla_next_due_at,
      },
      now,
    );
    const score = scoreOf(parts);
    const same = score === r.priority_score && JSON.stringify(parts) === JSON.stringify(r.priority_parts);
    return same ? [] : [{ id: r.id, score, parts }];
  });
  await writeScores(db, changed);
  return changed.length;
}

/** After a ticket changed: its score from scratch (tier, priority, category, urgency words, SLA time left). */
export async function rescoreTickets(db: Executor, config: PriorityConfig, ids: number[], now = new Date()) {
  return rescoreRows(db, config, await scoreInputs(db, { ids }), true, now);
}

/**
 * The periodic pass: as deadlines come closer the SLA part rises, so tickets due within the
 * highest band (or already holding SLA points) are rescored, a batch at a time. Returns the last
 * id seen when the batch was full (continue from there), else null.
 */
export async function rescoreApproaching(db: Executor, config: PriorityConfig, afterId: number, limit: number, now = new Date()) {
  const dueBefore = new Date(now.getTime() + (slaHorizonMinutes(config) + 2) * 60_000);
  const rows = await scoreInputs(db, { dueBefore, afterId, limit });
  const changed = await rescoreRows(db, config, rows, false, now);
  return { changed, nextAfterId: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
}

/** After the points changed: every unsolved ticket, in batches (the caller continues from nextAfterId). */
export async function rescoreAllBatch(db: Executor, config: PriorityConfig, afterId: number, limit: number, now = new Date()) {
  const ids = await openTicketIdsAfter(db, afterId, limit);
  await rescoreTickets(db, config, ids, now);
  return ids.length === limit ? (ids.at(-1) ?? null) : null;
}
