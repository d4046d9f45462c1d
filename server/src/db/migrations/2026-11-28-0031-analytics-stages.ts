import { type Kysely, sql } from "kysely";

// Time per stage: how long solved tickets spent in each department they passed through (the steps
// of a cross-department ticket), by solve day. Facts are recomputed from the events so that every
// ticket records its stage contributions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table analytics_stage_daily (
  day date not null,
  department_id integer not null,
  tickets integer not null default 0,
  seconds bigint not null default 0,
  primary key (day, department_id)
);
delete from analytics_daily;
delete from analytics_daily_totals;
delete from analytics_daily_slices;
delete from analytics_agent_daily;
delete from analytics_ticket_facts;
insert into analytics_dirty (ticket_id) select id from tickets on conflict do nothing;
`.execute(db);
}
