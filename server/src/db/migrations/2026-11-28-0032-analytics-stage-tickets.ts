import { type Kysely, sql } from "kysely";

// The tickets behind a stage time: each fact lists the departments its ticket passed through
// (GIN-indexed), so 各部门停留 drills down like every other number. Facts are recomputed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table analytics_ticket_facts add column stages integer[] not null default '{}';
create index analytics_facts_stages_idx on analytics_ticket_facts using gin (stages);
delete from analytics_daily;
delete from analytics_daily_totals;
delete from analytics_daily_slices;
delete from analytics_agent_daily;
delete from analytics_stage_daily;
delete from analytics_ticket_facts;
insert into analytics_dirty (ticket_id) select id from tickets on conflict do nothing;
`.execute(db);
}
