import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";

/**
 * How long each category's tickets typically take, learned from history: the median business-time
 * resolution of tickets solved in the last 90 days, in minutes, per category id (0: uncategorised),
 * for categories with at least 5 such tickets; `overall` for the rest. Load-aware routing weighs
 * an agent's open tickets with it.
 */
export async function typicalHandlingMinutes(db: Executor) {
  const { rows } = await sql<{ category_id: number | null; minutes: number; n: number }>`
    select grouping(category_id) = 0 as grouped, category_id,
           percentile_cont(0.5) within group (order by coalesce(res_bus_s, res_s)) / 60.0 as minutes, count(*)::int as n
    from analytics_ticket_facts
    where resolved_at >= now() - interval '90 days' and coalesce(res_bus_s, res_s) is not null
    group by grouping sets ((category_id), ())`.execute(db);
  const byCategory = new Map<number, number>();
  let overall: number | null = null;
  for (const r of rows as ((typeof rows)[number] & { grouped: boolean })[]) {
    if (!r.grouped) overall = Number(r.minutes);
    else if (r.n >= 5 && r.category_id !== null) byCategory.set(r.category_id, Math.max(1, Number(r.minutes)));
  }
  return { byCategory, overall: overall !== null ? Math.max(1, overall) : null };
}
