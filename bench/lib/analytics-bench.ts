import { type Kysely, sql } from "kysely";
import type { DB } from "../../server/src/db/schema";
import type { StaffPrincipal } from "../../server/src/platform/auth/principal";
import { refreshAnalyticsNow } from "../../server/src/modules/analytics/analytics-jobs";
import { agentReport } from "../../server/src/modules/analytics/agent-report";
import { drilldownPage } from "../../server/src/modules/analytics/drilldown";
import { HISTOGRAM_BOUNDS } from "../../server/src/modules/analytics/measures";
import { overviewReport } from "../../server/src/modules/analytics/overview-report";
import { dayOf } from "../../server/src/modules/analytics/ticket-facts";
import { load, round } from "./load";

/** The reader of the drill-down: an administrator (every ticket visible, as before scoping). */
const ADMIN: StaffPrincipal = {
  kind: "staff",
  id: 0,
  email: "bench@loopdesk.local",
  name: "bench",
  role: "admin",
  locale: "zh-CN",
  departmentIds: [],
};

const TZ = "Asia/Shanghai";
const SPAN_DAYS = 365;
const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);

/**
 * Issue 7's figures. (1) Dashboard requests (the same functions the routes call) on rollups the
 * size a desk with N tickets over a year has: tickets, facts and rollups are generated in SQL
 * (every measure attributed to the creation day — the rollup rows and their number are what the
 * queries pay for). (2) The cost of keeping rollups: real ticket events appended (with and
 * without the dirty-marking trigger), then the refresh that folds them in.
 */
export async function benchAnalytics(
  db: Kysely<DB>,
  sizes: number[],
  opts: { quick: boolean; onProgress?: (partial: Record<string, unknown>) => void },
) {
  const result: Record<string, unknown> = {};
  await setUp(db);
  const dashboards: Record<string, unknown>[] = [];
  let have = 0;
  for (const size of sizes) {
    const t0 = performance.now();
    await addSyntheticTickets(db, have + 1, size);
    have = size;
    await rebuildRollupsFromFacts(db);
    // Measure a settled database: no autovacuum of the fresh rows running underneath.
    await sql`vacuum analyze`.execute(db);
    log(`analytics: ${size} tickets ready in ${round((performance.now() - t0) / 1000)} s`);
    const counts = (
      await sql<{ daily: string; agent: string; open: string }>`
      select (select count(*) from analytics_daily) as daily, (select count(*) from analytics_agent_daily) as agent,
             (select count(*) from analytics_ticket_facts where unresolved) as open`.execute(db)
    ).rows[0];
    const to = dayOf(new Date(), TZ);
    const from = (days: number) => dayOf(new Date(Date.now() - (days - 1) * 86_400_000), TZ);
    const requests: [string, () => Promise<unknown>][] = [
      ["overview, 30 days", () => overviewReport(db, { from: from(30), to }, TZ)],
      ["overview, 90 days", () => overviewReport(db, { from: from(90), to }, TZ)],
      ["overview, 90 days, one channel", () => overviewReport(db, { from: from(90), to, channel: "phone" }, TZ)],
      [
        "overview, 90 days, one department and one channel",
        async () => overviewReport(db, { from: from(90), to, channel: "phone", departmentId: await firstDepartment(db) }, TZ),
      ],
      ["agents, 30 days", () => agentReport(db, from(30), to)],
      ["tickets behind a number (first page)", () => drilldownPage(db, { metric: "resolved", from: from(30), to, limit: 50 }, TZ, ADMIN)],
    ];
    for (const [name, call] of requests) {
      for (let i = 0; i < 3; i++) await call();
      const stats = await load(opts.quick ? 10 : 40, 1, async () => void (await call()));
      dashboards.push({
        tickets: size,
        request: name,
        rollupRows: Number(counts?.daily),
        agentRollupRows: Number(counts?.agent),
        openTickets: Number(counts?.open),
        ...stats,
      });
      log(`analytics: ${size} ${name}: p50 ${stats.p50Ms} ms, p95 ${stats.p95Ms} ms`);
    }
    // A long run (10M tickets) keeps what it has measured so far.
    opts.onProgress?.({ dashboards });
  }
  result.dashboards = dashboards;
  result.maintenance = await benchMaintenance(db, opts.quick ? 1_000 : 5_000);
  log("analytics: maintenance", result.maintenance);
  return result;
}

/** A year of a desk's tickets with their facts and rollups (no HTTP): what reports read. */
export async function seedReportWorkspace(db: Kysely<DB>, tickets: number) {
  await setUp(db);
  await addSyntheticTickets(db, 1, tickets);
  await rebuildRollupsFromFacts(db);
  await sql`vacuum analyze`.execute(db);
}

async function setUp(db: Kysely<DB>) {
  await sql`insert into departments (name) select '部门 ' || g from generate_series(1, 6) g`.execute(db);
  await sql`insert into categories (name) select '类型 ' || g from generate_series(1, 30) g`.execute(db);
  await sql`insert into staff (email, name, role) select 'agent' || g || '@bench.local', '客服 ' || g, 'agent' from generate_series(1, 200) g`.execute(
    db,
  );
  await sql`insert into customers (name, custom_fields) select '客户 ' || g, '{}' from generate_series(1, 20000) g`.execute(db);
}

/** Tickets g in [from, to] at pseudo-random times over the last year (the last week's still open), skewed categories and channels, and their facts. */
async function addSyntheticTickets(db: Kysely<DB>, from: number, to: number) {
  const batch = 250_000;
  // The per-agent open-ticket counters (routing's) are not what this measures; their per-row trigger
  // would be most of the generation time at ten million tickets.
  await sql`alter table tickets disable trigger tickets_agent_open_count`.execute(db);
  for (let start = from; start <= to; start += batch) {
    const end = Math.min(to, start + batch - 1);
    await sql`
      with ids as (select min(id) as dep from departments), cat as (select min(id) as c from categories),
           st as (select min(id) as s from staff where email like 'agent%@bench.local'), cu as (select min(id) as c from customers)
      insert into tickets (subject, status, priority, channel, customer_id, department_id, category_id, assignee_id, created_at, updated_at, solved_at)
      select '分析基准 ' || g,
             case when c.open then 'open' else 'closed' end,
             'normal',
             (array['email','email','email','phone','phone','portal','widget','wecom','dingtalk','api'])[1 + abs(hashint4(g)) % 10],
             cu.c + abs(hashint4(g + 1)) % 20000,
             ids.dep + abs(hashint4(g + 2)) % 6,
             cat.c + (abs(hashint4(g + 3)) % 30) * (abs(hashint4(g + 3)) % 30) / 30,
             st.s + abs(hashint4(g + 4)) % 200,
             c.at, c.at,
             case when not c.open then c.at + (abs(hashint4(g + 5)) % 172800) * interval '1 second' end
      from generate_series(${start}::int, ${end}::int) g, ids, cat, st, cu,
           lateral (select now() - (abs(hashint4(g + 6)) % ${SPAN_DAYS * 86400}::int) * interval '1 second' as at) t,
           lateral (select t.at, t.at > now() - interval '7 days' as open) c`.execute(db);
  }
  await sql`alter table tickets enable trigger tickets_agent_open_count`.execute(db);
  await sql`
    insert into analytics_ticket_facts (ticket_id, created_at, department_id, category_id, channel, assignee_id, first_response_at,
      responder_id, frt_s, frt_bus_s, resolved_at, res_s, res_bus_s, unresolved, reopens, transfers, public_replies, fcr, is_repeat,
      fr_breached, res_breached, csat, csat_at, contributions)
    select t.id, t.created_at, t.department_id, t.category_id, t.channel, t.assignee_id,
           t.created_at + f.frt * interval '1 second', t.assignee_id, f.frt, f.frt * 4 / 10,
           t.solved_at, extract(epoch from t.solved_at - t.created_at)::int, extract(epoch from t.solved_at - t.created_at)::int * 35 / 100,
           t.solved_at is null, (t.id % 20 = 0)::int, (t.id % 9 = 0)::int, 1 + t.id % 3, t.id % 3 = 0, t.id % 25 = 0, t.id % 11 = 0, t.id % 17 = 0,
           case when t.id % 5 = 0 then 1 + t.id % 5 end, case when t.id % 5 = 0 then t.solved_at end, '{}'
    from tickets t, lateral (select abs(hashint4(t.id)) % 7200 as frt) f
    where not exists (select 1 from analytics_ticket_facts x where x.ticket_id = t.id)`.execute(db);
  await sql`delete from analytics_dirty`.execute(db);
  await sql`analyze tickets`.execute(db);
  await sql`analyze analytics_ticket_facts`.execute(db);
}

/** The daily rollups recomputed from the facts in SQL, every measure on the creation day. */
async function rebuildRollupsFromFacts(db: Kysely<DB>) {
  const hist = (col: string) =>
    `array[${Array.from({ length: HISTOGRAM_BOUNDS.length + 1 }, (_, i) => `count(*) filter (where width_bucket(${col}, b.bounds) = ${i})::int`).join(", ")}]`;
  const measures = `count(*)::int as created,
      array[${Array.from({ length: 24 }, (_, h) => `count(*) filter (where extract(hour from f.created_at at time zone '${TZ}') = ${h})::int`).join(", ")}] as arrivals,
      count(f.first_response_at)::int as first_responses, coalesce(sum(f.frt_s), 0) as frt_sum, coalesce(sum(f.frt_bus_s), 0) as frt_bus_sum,
      ${hist("f.frt_s")} as frt_hist, ${hist("f.frt_bus_s")} as frt_bus_hist,
      count(f.resolved_at)::int as resolved, coalesce(sum(f.res_s), 0) as res_sum, coalesce(sum(f.res_bus_s), 0) as res_bus_sum,
      ${hist("f.res_s")} as res_hist, ${hist("f.res_bus_s")} as res_bus_hist,
      count(*) filter (where f.fcr)::int as fcr, count(*) filter (where f.reopens > 0)::int as reopened,
      count(*) filter (where f.transfers > 0)::int as transferred, coalesce(sum(f.transfers), 0)::int as transfers,
      count(f.csat)::int as csat_count, coalesce(sum(f.csat), 0)::int as csat_sum,
      count(*) filter (where f.unresolved)::int as backlog_delta`;
  const cols = `created, arrivals, first_responses, frt_sum, frt_bus_sum, frt_hist, frt_bus_hist, resolved, res_sum, res_bus_sum,
      res_hist, res_bus_hist, fcr, reopened, transferred, transfers, csat_count, csat_sum, backlog_delta`;
  const bounds = `(select array[${HISTOGRAM_BOUNDS.join(",")}]::int[] as bounds) b`;
  await sql`delete from analytics_daily`.execute(db);
  await sql`delete from analytics_daily_totals`.execute(db);
  await sql`delete from analytics_agent_daily`.execute(db);
  await sql
    .raw(`
    insert into analytics_daily (day, department_id, category_id, channel, ${cols})
    select (f.created_at at time zone '${TZ}')::date, f.department_id, f.category_id, f.channel, ${measures}
    from analytics_ticket_facts f, ${bounds} group by 1, 2, 3, 4`)
    .execute(db);
  await sql
    .raw(`
    insert into analytics_agent_daily (day, agent_id, ${cols})
    select (f.created_at at time zone '${TZ}')::date, f.assignee_id, ${measures}
    from analytics_ticket_facts f, ${bounds} where f.assignee_id is not null group by 1, 2`)
    .execute(db);
  const sums = cols
    .split(",")
    .map((c) => c.trim())
    .map((c) => (["arrivals", "frt_hist", "frt_bus_hist", "res_hist", "res_bus_hist"].includes(c) ? `analytics_sum(${c})` : `sum(${c})`))
    .join(", ");
  await sql.raw(`insert into analytics_daily_totals (day, ${cols}) select day, ${sums} from analytics_daily group by day`).execute(db);
  await sql`delete from analytics_daily_slices`.execute(db);
  for (const [dimension, column] of [
    ["department", "department_id::text"],
    ["category", "category_id::text"],
    ["channel", "channel"],
    ["team", "team_id::text"],
  ])
    await sql
      .raw(`insert into analytics_daily_slices (day, dimension, value, ${cols})
        select day, '${dimension}', ${column}, ${sums} from analytics_daily group by day, ${column}`)
      .execute(db);
  // Stage times: each solved ticket's working time in its department (the generated tickets never move).
  await sql`delete from analytics_stage_daily`.execute(db);
  await sql
    .raw(`insert into analytics_stage_daily (day, department_id, tickets, seconds)
      select (f.resolved_at at time zone '${TZ}')::date, f.department_id, count(*), sum(f.res_s)
      from analytics_ticket_facts f where f.resolved_at is not null group by 1, 2`)
    .execute(db);
  await sql`analyze analytics_daily`.execute(db);
  await sql`analyze analytics_daily_totals`.execute(db);
  await sql`analyze analytics_daily_slices`.execute(db);
  await sql`analyze analytics_agent_daily`.execute(db);
}

/**
 * Rollup upkeep per ticket event: `n` tickets get a realistic history (created, first response,
 * two messages, solved: 5 events) appended in one statement per 1,000 tickets, once with the
 * dirty-marking trigger and once without; then the refresh folds the marked tickets in.
 */
async function benchMaintenance(db: Kysely<DB>, n: number) {
  // Fresh tickets (no facts yet), as a desk's newest tickets are.
  const ids = (
    await sql<{ id: number }>`
      insert into tickets (subject, status, channel, customer_id, department_id, created_at, updated_at)
      select '维护成本 ' || g, 'solved', 'email', (select min(id) from customers), (select min(id) from departments),
             now() - interval '3 hours', now()
      from generate_series(1, ${n * 2}::int) g returning id`.execute(db)
  ).rows.map((r) => r.id);
  const staff = (await sql<{ id: number }>`select min(id) as id from staff`.execute(db)).rows[0]?.id as number;
  const append = async (ticketIds: number[]) => {
    const t0 = performance.now();
    for (let i = 0; i < ticketIds.length; i += 1000) {
      const chunk = ticketIds.slice(i, i + 1000);
      await sql`
        insert into ticket_events (ticket_id, type, actor_type, actor_id, field, before, after, data, created_at)
        select t.id, e.type, e.actor, ${staff}::int, e.field, e.before::jsonb, e.after::jsonb, e.data::jsonb, now() - e.ago
        from unnest(${chunk}::int[]) as t(id), (values
          ('created', 'system', null, null, '{"status":"new"}', null, interval '3 hours'),
          ('message_added', 'staff', null, null, null, '{"visibility":"public"}', interval '2 hours'),
          ('first_response', 'staff', null, null, null, null, interval '2 hours'),
          ('message_added', 'staff', null, null, null, '{"visibility":"internal"}', interval '1 hour'),
          ('status_changed', 'staff', 'status', '"new"', '"solved"', null, interval '30 minutes')
        ) as e(type, actor, field, before, after, data, ago)`.execute(db);
    }
    return performance.now() - t0;
  };
  const withTrigger = ids.slice(0, n);
  const without = ids.slice(n);
  await sql`alter table ticket_events disable trigger ticket_events_mark_dirty`.execute(db);
  const plainMs = await append(without);
  await sql`alter table ticket_events enable trigger ticket_events_mark_dirty`.execute(db);
  const markedMs = await append(withTrigger);
  const t0 = performance.now();
  const refreshed = await refreshAnalyticsNow(db, TZ);
  const refreshMs = performance.now() - t0;
  const events = n * 5;
  return {
    tickets: n,
    events,
    appendMsPerEventWithoutTrigger: round((plainMs / events) * 1000) / 1000,
    appendMsPerEventWithTrigger: round((markedMs / events) * 1000) / 1000,
    triggerOverhead: round(markedMs / plainMs),
    refreshedTickets: refreshed,
    refreshTicketsPerSecond: round(refreshed / (refreshMs / 1000)),
    refreshMsPerEvent: round((refreshMs / events) * 1000) / 1000,
  };
}

let departmentId: number | undefined;
async function firstDepartment(db: Kysely<DB>) {
  departmentId ??= (await sql<{ id: number }>`select min(id) as id from departments`.execute(db)).rows[0]?.id as number;
  return departmentId;
}
