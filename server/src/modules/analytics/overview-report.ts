import type { AnalyticsFilters, OverviewReport } from "@loopdesk/contracts/analytics";
import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";
import { COUNT_MEASURES, HISTOGRAM_BOUNDS, histogramQuantile } from "./measures";
import { type Slices, mean, rangeInstants, ratio, slicesSql } from "./report-range";

/**
 * Medians and p90 are exact (read from the facts) when the range holds at most this many first
 * responses and resolutions in all (sliced or not: a slice's exact percentiles read the whole
 * range's facts and filter them); above, they come from the rollups' histogram buckets.
 */
export const EXACT_PERCENTILE_LIMIT = 50_000;

type Sums = Record<(typeof COUNT_MEASURES)[number], number>;
const sumsOf = (r: Record<string, unknown>) => Object.fromEntries(COUNT_MEASURES.map((m) => [m, Number(r[m] ?? 0)])) as Sums;
const SUM_COLUMNS = sql.raw(COUNT_MEASURES.map((m) => `coalesce(sum(${m}), 0)::float8 as ${m}`).join(", "));
const HIST = ["frt_hist", "frt_bus_hist", "res_hist", "res_bus_hist"] as const;
const BUCKETS = HISTOGRAM_BOUNDS.length + 1;
const ARRAY_SUMS = sql.raw(
  [
    ...Array.from({ length: 24 }, (_, h) => `coalesce(sum(arrivals[${h + 1}]), 0)::int as a${h}`),
    ...HIST.flatMap((m) => Array.from({ length: BUCKETS }, (_, i) => `coalesce(sum(${m}[${i + 1}]), 0)::int as ${m}_${i}`)),
  ].join(", "),
);

/**
 * The supervisors' overview for a day range, read from rollups: the series, totals, heatmap and
 * histograms from one row per day (the day totals when no slice is chosen, else the day's matching
 * combinations), the breakdowns by channel / category / department in one pass over the day's
 * combinations, the backlog anchored on the tickets open now, and exact percentiles from the
 * facts when the population is small enough.
 */
export async function overviewReport(db: Executor, f: AnalyticsFilters & Slices, timeZone: string): Promise<OverviewReport> {
  const source = rollupSource(f);
  const inDays = sql`day >= ${f.from}::date and day <= ${f.to}::date`;
  const rows = <T>(q: { execute: (db: Executor) => Promise<{ rows: T[] }> }) => q.execute(db).then((r) => r.rows);
  const [days, breakdowns, arrays, openNow, after] = await Promise.all([
    rows(
      sql<
        Record<string, unknown>
      >`select day::text as day, ${SUM_COLUMNS} from ${source.table} where ${inDays} and ${source.where} group by day order by day`,
    ),
    rows(breakdownQuery(f, inDays)),
    rows(sql<Record<string, number>>`
      select extract(isodow from day)::int - 1 as dow, ${ARRAY_SUMS}
      from ${source.table} where ${inDays} and ${source.where}
      group by extract(isodow from day)`),
    db
      .selectFrom("analytics_ticket_facts")
      .where(slicesSql(f))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("unresolved", "=", true)
      .executeTakeFirstOrThrow(),
    sql<{ n: number }>`select coalesce(sum(backlog_delta), 0)::int as n from ${source.table} where day > ${f.to}::date and ${source.where}`
      .execute(db)
      .then((r) => r.rows[0] as { n: number }),
  ]);

  const dayRows = days;
  const totals = dayRows.reduce<Sums>((acc, r) => {
    const s = sumsOf(r);
    for (const m of COUNT_MEASURES) acc[m] += s[m];
    return acc;
  }, sumsOf({}));
  // Open at the end of a day = open now − what moved the backlog after that day.
  let backlog = Number(openNow.n) - Number(after.n);
  const backlogAtEnd = new Map<string, number>();
  for (const r of [...dayRows].reverse()) {
    backlogAtEnd.set(String(r.day), backlog);
    backlog -= Number(r.backlog_delta);
  }

  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const hist: Record<(typeof HIST)[number], number[]> = Object.fromEntries(HIST.map((m) => [m, new Array(BUCKETS).fill(0)])) as never;
  for (const r of arrays) {
    const row = heatmap[Number(r.dow)] as number[];
    for (let h = 0; h < 24; h++) row[h] = Number(r[`a${h}`]);
    for (const m of HIST) for (let i = 0; i < BUCKETS; i++) (hist[m][i] as number) += Number(r[`${m}_${i}`]);
  }

  const scanned = source.where === TRUE ? totals : await rangeTotals(db, inDays);
  const exact = Math.max(scanned.first_responses, scanned.resolved) <= EXACT_PERCENTILE_LIMIT;
  const pct = exact ? await exactPercentiles(db, f, timeZone) : null;
  const stats = (count: number, sum: number, key: (typeof HIST)[number], p: { median: number | null; p90: number | null } | undefined) => ({
    count,
    mean: mean(sum, count),
    median: p ? p.median : histogramQuantile(hist[key], 0.5),
    p90: p ? p.p90 : histogramQuantile(hist[key], 0.9),
  });

  const stages = source.where === TRUE ? await stageTimes(db, inDays) : null;
  const endBacklog = backlogAtEnd.get(f.to) ?? Number(openNow.n) - Number(after.n);
  return {
    from: f.from,
    to: f.to,
    timeZone,
    percentiles: exact ? "exact" : "histogram",
    totals: {
      created: totals.created,
      resolved: totals.resolved,
      backlog: endBacklog,
      firstResponse: {
        calendar: stats(totals.first_responses, totals.frt_sum, "frt_hist", pct?.frt),
        business: stats(totals.first_responses, totals.frt_bus_sum, "frt_bus_hist", pct?.frtBusiness),
      },
      resolution: {
        calendar: stats(totals.resolved, totals.res_sum, "res_hist", pct?.res),
        business: stats(totals.resolved, totals.res_bus_sum, "res_bus_hist", pct?.resBusiness),
      },
      firstContactResolution: ratio(totals.fcr, totals.resolved),
      transferred: ratio(totals.transferred, totals.resolved),
      reopened: ratio(totals.reopened, totals.resolved),
      repeat: ratio(totals.repeats, totals.created),
      completeAtCreation: ratio(totals.complete, totals.completeness_known),
      csat: {
        count: totals.csat_count,
        average: mean(totals.csat_sum, totals.csat_count),
        positive: ratio(totals.csat_positive, totals.csat_count),
        negative: ratio(totals.csat_negative, totals.csat_count),
      },
      sla: {
        firstResponse: ratio(totals.sla_fr_total - totals.sla_fr_breached, totals.sla_fr_total),
        resolution: ratio(totals.sla_res_total - totals.sla_res_breached, totals.sla_res_total),
      },
      timeInStatus: {
        new: mean(totals.new_s, totals.resolved) ?? 0,
        open: mean(totals.open_s, totals.resolved) ?? 0,
        pending: mean(totals.pending_s, totals.resolved) ?? 0,
        on_hold: mean(totals.on_hold_s, totals.resolved) ?? 0,
      },
    },
    stages,
    daily: dayRows.map((r) => {
      const s = sumsOf(r);
      return {
        day: String(r.day),
        created: s.created,
        resolved: s.resolved,
        backlog: backlogAtEnd.get(String(r.day)) ?? 0,
        frtMean: mean(s.frt_sum, s.first_responses),
        csatAverage: mean(s.csat_sum, s.csat_count),
        slaBreached: s.sla_fr_breached + s.sla_res_breached,
      };
    }),
    byChannel: breakdowns
      .filter((r) => r.dimension === "channel")
      .map((r) => ({
        channel: String(r.value),
        created: Number(r.created),
        resolved: Number(r.resolved),
        completeAtCreation: ratio(Number(r.complete), Number(r.completeness_known)),
      }))
      .sort((a, b) => b.created - a.created),
    byCategory: breakdowns
      .filter((r) => r.dimension === "category")
      .map((r) => ({ categoryId: Number(r.value), created: Number(r.created), resolved: Number(r.resolved) }))
      .sort((a, b) => b.created - a.created),
    byDepartment: breakdowns
      .filter((r) => r.dimension === "department")
      .map((r) => ({ departmentId: Number(r.value), created: Number(r.created), resolved: Number(r.resolved) }))
      .sort((a, b) => b.created - a.created),
    byTeam: breakdowns
      .filter((r) => r.dimension === "team")
      .map((r) => ({ teamId: Number(r.value), created: Number(r.created), resolved: Number(r.resolved) }))
      .sort((a, b) => b.created - a.created),
    heatmap,
  };
}

const TRUE = sql`true`;

/** Mean working time per department stage of the tickets solved in the range, busiest stage first. */
async function stageTimes(db: Executor, inDays: ReturnType<typeof sql>) {
  const { rows } = await sql<{ department_id: number; tickets: number; seconds: number }>`
    select department_id, sum(tickets)::int as tickets, sum(seconds)::float8 as seconds
    from analytics_stage_daily where ${inDays} group by department_id having sum(tickets) > 0 order by 2 desc, 1`.execute(db);
  return rows.map((r) => ({ departmentId: r.department_id, tickets: r.tickets, meanSeconds: r.seconds / r.tickets }));
}

/** First responses and resolutions in the range, all slices together (what an exact percentile query would read). */
async function rangeTotals(db: Executor, inDays: ReturnType<typeof sql>) {
  const { rows } = await sql<{ first_responses: number; resolved: number }>`
    select coalesce(sum(first_responses), 0)::float8 as first_responses, coalesce(sum(resolved), 0)::float8 as resolved
    from analytics_daily_totals where ${inDays}`.execute(db);
  return rows[0] ?? { first_responses: 0, resolved: 0 };
}

/**
 * The coarsest rollup that answers the slices: the day totals with none, the day × slice rows
 * with exactly one, every combination of the day with more.
 */
function rollupSource(f: AnalyticsFilters & Slices) {
  const chosen = (
    [
      ["department", f.departmentId],
      ["category", f.categoryId],
      ["channel", f.channel],
      ["team", f.teamId],
    ] as const
  ).filter(([, v]) => v !== undefined);
  // A reader limited to some departments reads the finest rollup, restricted to them.
  if (f.scopeDepartmentIds !== undefined) return { table: sql.table("analytics_daily"), where: slicesSql(f) };
  if (chosen.length === 0) return { table: sql.table("analytics_daily_totals"), where: TRUE };
  if (chosen.length === 1) {
    const [dimension, value] = chosen[0] as readonly [string, string | number];
    return { table: sql.table("analytics_daily_slices"), where: sql`dimension = ${dimension} and value = ${String(value)}` };
  }
  return { table: sql.table("analytics_daily"), where: slicesSql(f) };
}

/** Created and solved (and completeness) by channel, category and department: from the day × slice rows when unsliced. */
function breakdownQuery(f: AnalyticsFilters & Slices, inDays: ReturnType<typeof sql>) {
  const unsliced =
    f.departmentId === undefined &&
    f.categoryId === undefined &&
    f.channel === undefined &&
    f.teamId === undefined &&
    f.scopeDepartmentIds === undefined;
  if (unsliced)
    return sql<Record<string, unknown>>`
      select dimension, value, sum(created)::int as created, sum(resolved)::int as resolved,
             sum(complete)::int as complete, sum(completeness_known)::int as completeness_known
      from analytics_daily_slices where ${inDays} group by dimension, value`;
  return sql<Record<string, unknown>>`
    select case when grouping(channel) = 0 then 'channel' when grouping(category_id) = 0 then 'category'
                when grouping(department_id) = 0 then 'department' else 'team' end as dimension,
           coalesce(channel, category_id::text, department_id::text, team_id::text) as value,
           sum(created)::int as created, sum(resolved)::int as resolved,
           sum(complete)::int as complete, sum(completeness_known)::int as completeness_known
    from analytics_daily where ${inDays} and ${slicesSql(f)}
    group by grouping sets ((channel), (category_id), (department_id), (team_id))`;
}

type Pair = { median: number | null; p90: number | null };

/** Exact median and p90 (interpolated, as percentile_cont) from the facts of the range. */
async function exactPercentiles(db: Executor, f: AnalyticsFilters & Slices, timeZone: string) {
  const { start, end } = rangeInstants(f.from, f.to, timeZone);
  const pick = (col: string) => sql<number[] | null>`percentile_cont(array[0.5, 0.9]::float8[]) within group (order by ${sql.ref(col)})`;
  const [fr, res] = await Promise.all([
    db
      .selectFrom("analytics_ticket_facts")
      .where(slicesSql(f))
      .select([pick("frt_s").as("cal"), pick("frt_bus_s").as("bus")])
      .where("first_response_at", ">=", start)
      .where("first_response_at", "<", end)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("analytics_ticket_facts")
      .where(slicesSql(f))
      .select([pick("res_s").as("cal"), pick("res_bus_s").as("bus")])
      .where("resolved_at", ">=", start)
      .where("resolved_at", "<", end)
      .executeTakeFirstOrThrow(),
  ]);
  const pair = (v: number[] | null): Pair => ({ median: v?.[0] ?? null, p90: v?.[1] ?? null });
  return { frt: pair(fr.cal), frtBusiness: pair(fr.bus), res: pair(res.cal), resBusiness: pair(res.bus) };
}
