import type { RetentionRule, retentionRuleBody, retentionRulePatch } from "@loopdesk/contracts/privacy";
import { type Selectable, sql } from "kysely";
import type { z } from "zod";
import type { RetentionRulesTable } from "../../db/schema-security";
import type { AppContext } from "../../platform/context";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors";
import { type Executor, enqueue } from "../../platform/jobs/job-queue";
import { removeUnusedFiles } from "./erase-customer";
import { purgeTickets } from "./purge-tickets";

export const RETENTION_QUEUE = "privacy.retention";
/** Tickets purged per transaction (a large backlog is worked off in several). */
const BATCH = 200;

type Rule = Selectable<RetentionRulesTable>;

/**
 * The closed tickets a rule purges: closed (or solved and left) more than `months` ago, not yet
 * purged, in its category — or, for the rule without a category, in any category no rule names.
 * Open tickets are never purged.
 */
function dueTickets(db: Executor, rule: Rule, namedCategories: number[]) {
  let q = db
    .selectFrom("tickets")
    .where("purged_at", "is", null)
    .where("status", "in", ["closed", "solved"])
    .where(sql<boolean>`coalesce(closed_at, solved_at, updated_at) < now() - make_interval(months => ${rule.months})`);
  if (rule.category_id !== null) q = q.where("category_id", "=", rule.category_id);
  else if (namedCategories.length)
    q = q.where((eb) => eb.or([eb("category_id", "is", null), eb("category_id", "not in", namedCategories)]));
  return q;
}

async function namedCategories(db: Executor) {
  return (await db.selectFrom("retention_rules").select("category_id").where("category_id", "is not", null).execute()).map(
    (r) => r.category_id as number,
  );
}

export async function listRetentionRules(db: Executor): Promise<RetentionRule[]> {
  const rules = await db.selectFrom("retention_rules").selectAll().orderBy("category_id", "asc").orderBy("id").execute();
  const names = new Map((await db.selectFrom("categories").select(["id", "name"]).execute()).map((c) => [c.id, c.name]));
  const named = await namedCategories(db);
  const out: RetentionRule[] = [];
  for (const r of rules) {
    const due = await dueTickets(db, r, named)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst();
    out.push({
      id: r.id,
      category: r.category_id === null ? null : { id: r.category_id, name: names.get(r.category_id) ?? "" },
      months: r.months,
      active: r.active,
      lastRunAt: r.last_run_at?.toISOString() ?? null,
      purgedTotal: r.purged_total,
      due: Number(due?.n ?? 0),
    });
  }
  return out;
}

async function checkCategory(db: Executor, categoryId: number | null | undefined) {
  if (categoryId === null || categoryId === undefined) return;
  const found = await db.selectFrom("categories").select("id").where("id", "=", categoryId).executeTakeFirst();
  if (!found) throw ValidationError([{ path: "categoryId", code: "not_found", message: "No such category." }]);
}

const duplicate = (err: unknown) => {
  if ((err as { code?: string }).code === "23505")
    throw new AppError(409, "retention_rule_exists", "There is already a rule for this category: change its months instead.");
  throw err;
};

export async function createRetentionRule(db: Executor, body: z.output<typeof retentionRuleBody>) {
  await checkCategory(db, body.categoryId);
  const row = await db
    .insertInto("retention_rules")
    .values({ category_id: body.categoryId, months: body.months, active: body.active })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch(duplicate);
  return (await listRetentionRules(db)).find((r) => r.id === row.id) as RetentionRule;
}

export async function updateRetentionRule(db: Executor, id: number, body: z.output<typeof retentionRulePatch>) {
  await checkCategory(db, body.categoryId);
  const res = await db
    .updateTable("retention_rules")
    .set({
      ...(body.categoryId !== undefined ? { category_id: body.categoryId } : {}),
      ...(body.months !== undefined ? { months: body.months } : {}),
      ...(body.active !== undefined ? { active: body.active } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .executeTakeFirst()
    .catch(duplicate);
  if (Number(res.numUpdatedRows) === 0) throw NotFoundError("Rule");
  return (await listRetentionRules(db)).find((r) => r.id === id) as RetentionRule;
}

export async function deleteRetentionRule(db: Executor, id: number) {
  const res = await db.deleteFrom("retention_rules").where("id", "=", id).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw NotFoundError("Rule");
}

/**
 * One pass of every active rule: up to BATCH tickets per rule are purged in one transaction each
 * (their statistics stay); answers how many were purged. Called daily, and again at once while a
 * backlog remains.
 */
export async function applyRetention(ctx: AppContext) {
  let purged = 0;
  let more = false;
  const rules = await ctx.db.selectFrom("retention_rules").selectAll().where("active", "=", true).execute();
  for (const rule of rules) {
    const { files, count } = await ctx.db.transaction().execute(async (trx) => {
      const named = await namedCategories(trx);
      const ids = (await dueTickets(trx, rule, named).select("id").orderBy("id").limit(BATCH).forUpdate().skipLocked().execute()).map(
        (t) => t.id,
      );
      const tally = {};
      const files = await purgeTickets(trx, ids, tally);
      await trx
        .updateTable("retention_rules")
        .set({ last_run_at: new Date(), purged_total: sql`purged_total + ${ids.length}` })
        .where("id", "=", rule.id)
        .execute();
      return { files, count: ids.length };
    });
    purged += count;
    if (count === BATCH) more = true;
    await removeUnusedFiles(ctx.db, ctx.files, files);
  }
  return { purged, more };
}

export function registerRetentionJobs(ctx: AppContext) {
  ctx.jobs.defineLeased({
    queue: RETENTION_QUEUE,
    leaseMs: 600_000,
    maxAttempts: 3,
    run: async (_payload, { logger }) => {
      const { purged, more } = await applyRetention(ctx);
      if (purged) logger.info({ purged }, "retention rules purged closed tickets");
      await scheduleRetention(ctx, more ? 0 : 86_400_000);
    },
  });
}

export async function scheduleRetention(ctx: AppContext, inMs = 3_600_000) {
  const at = new Date(Date.now() + inMs);
  const key = inMs === 0 ? `privacy-retention:${at.toISOString()}` : `privacy-retention:${at.toISOString().slice(0, 10)}`;
  await enqueue(ctx.db, RETENTION_QUEUE, {}, { runAt: at, dedupeKey: key });
}
