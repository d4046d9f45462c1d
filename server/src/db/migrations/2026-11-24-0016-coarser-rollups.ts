import { type Kysely, sql } from "kysely";

const MEASURES = `
  created integer not null default 0,
  repeats integer not null default 0,
  complete integer not null default 0,
  completeness_known integer not null default 0,
  arrivals integer[] not null default '{}',
  first_responses integer not null default 0,
  frt_sum bigint not null default 0,
  frt_bus_sum bigint not null default 0,
  frt_hist integer[] not null default '{}',
  frt_bus_hist integer[] not null default '{}',
  resolved integer not null default 0,
  res_sum bigint not null default 0,
  res_bus_sum bigint not null default 0,
  res_hist integer[] not null default '{}',
  res_bus_hist integer[] not null default '{}',
  fcr integer not null default 0,
  reopened integer not null default 0,
  transferred integer not null default 0,
  transfers integer not null default 0,
  new_s bigint not null default 0,
  open_s bigint not null default 0,
  pending_s bigint not null default 0,
  on_hold_s bigint not null default 0,
  csat_count integer not null default 0,
  csat_sum integer not null default 0,
  csat_positive integer not null default 0,
  csat_negative integer not null default 0,
  sla_fr_total integer not null default 0,
  sla_fr_breached integer not null default 0,
  sla_res_total integer not null default 0,
  sla_res_breached integer not null default 0,
  backlog_delta integer not null default 0`;

// Coarser rollups beside analytics_daily: day totals (the unsliced overview, the common case) and
// day × one slice (one department, one category or one channel), so a dashboard reads one row per
// day instead of every combination of the day. Combined slices still read analytics_daily.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create aggregate analytics_sum(integer[]) (sfunc = analytics_add, stype = integer[], initcond = '{}');

create table analytics_daily_totals (
  day date primary key,
  ${sql.raw(MEASURES)}
);

insert into analytics_daily_totals (day, created, repeats, complete, completeness_known, first_responses, frt_sum, frt_bus_sum, resolved, res_sum, res_bus_sum, fcr, reopened, transferred, transfers, new_s, open_s, pending_s, on_hold_s, csat_count, csat_sum, csat_positive, csat_negative, sla_fr_total, sla_fr_breached, sla_res_total, sla_res_breached, backlog_delta, arrivals, frt_hist, frt_bus_hist, res_hist, res_bus_hist)
select day, sum(created), sum(repeats), sum(complete), sum(completeness_known), sum(first_responses), sum(frt_sum), sum(frt_bus_sum), sum(resolved), sum(res_sum), sum(res_bus_sum), sum(fcr), sum(reopened), sum(transferred), sum(transfers), sum(new_s), sum(open_s), sum(pending_s), sum(on_hold_s), sum(csat_count), sum(csat_sum), sum(csat_positive), sum(csat_negative), sum(sla_fr_total), sum(sla_fr_breached), sum(sla_res_total), sum(sla_res_breached), sum(backlog_delta), analytics_sum(arrivals), analytics_sum(frt_hist), analytics_sum(frt_bus_hist), analytics_sum(res_hist), analytics_sum(res_bus_hist)
from analytics_daily group by day;

create table analytics_daily_slices (
  day date not null,
  dimension text not null check (dimension in ('department', 'category', 'channel')),
  value text not null,
  ${sql.raw(MEASURES)},
  primary key (dimension, value, day)
);

insert into analytics_daily_slices (day, dimension, value, created, repeats, complete, completeness_known, first_responses, frt_sum, frt_bus_sum, resolved, res_sum, res_bus_sum, fcr, reopened, transferred, transfers, new_s, open_s, pending_s, on_hold_s, csat_count, csat_sum, csat_positive, csat_negative, sla_fr_total, sla_fr_breached, sla_res_total, sla_res_breached, backlog_delta, arrivals, frt_hist, frt_bus_hist, res_hist, res_bus_hist)
select day, 'department', department_id::text, sum(created), sum(repeats), sum(complete), sum(completeness_known), sum(first_responses), sum(frt_sum), sum(frt_bus_sum), sum(resolved), sum(res_sum), sum(res_bus_sum), sum(fcr), sum(reopened), sum(transferred), sum(transfers), sum(new_s), sum(open_s), sum(pending_s), sum(on_hold_s), sum(csat_count), sum(csat_sum), sum(csat_positive), sum(csat_negative), sum(sla_fr_total), sum(sla_fr_breached), sum(sla_res_total), sum(sla_res_breached), sum(backlog_delta), analytics_sum(arrivals), analytics_sum(frt_hist), analytics_sum(frt_bus_hist), analytics_sum(res_hist), analytics_sum(res_bus_hist)
from analytics_daily group by day, department_id
union all
select day, 'category', category_id::text, sum(created), sum(repeats), sum(complete), sum(completeness_known), sum(first_responses), sum(frt_sum), sum(frt_bus_sum), sum(resolved), sum(res_sum), sum(res_bus_sum), sum(fcr), sum(reopened), sum(transferred), sum(transfers), sum(new_s), sum(open_s), sum(pending_s), sum(on_hold_s), sum(csat_count), sum(csat_sum), sum(csat_positive), sum(csat_negative), sum(sla_fr_total), sum(sla_fr_breached), sum(sla_res_total), sum(sla_res_breached), sum(backlog_delta), analytics_sum(arrivals), analytics_sum(frt_hist), analytics_sum(frt_bus_hist), analytics_sum(res_hist), analytics_sum(res_bus_hist)
from analytics_daily group by day, category_id
union all
select day, 'channel', channel, sum(created), sum(repeats), sum(complete), sum(completeness_known), sum(first_responses), sum(frt_sum), sum(frt_bus_sum), sum(resolved), sum(res_sum), sum(res_bus_sum), sum(fcr), sum(reopened), sum(transferred), sum(transfers), sum(new_s), sum(open_s), sum(pending_s), sum(on_hold_s), sum(csat_count), sum(csat_sum), sum(csat_positive), sum(csat_negative), sum(sla_fr_total), sum(sla_fr_breached), sum(sla_res_total), sum(sla_res_breached), sum(backlog_delta), analytics_sum(arrivals), analytics_sum(frt_hist), analytics_sum(frt_bus_hist), analytics_sum(res_hist), analytics_sum(res_bus_hist)
from analytics_daily group by day, channel;
`.execute(db);
}
