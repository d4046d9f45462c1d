import { type Kysely, sql } from "kysely";

// SLA compliance counted each target only once its ticket was solved, so a dashboard showed 100%
// 解决达标率 beside 70 overdue open tickets. A target now counts when its outcome is known: met on
// the first response or final solve, missed on the moment it was missed. Facts keep when each
// target was missed (the drill-down lists the tickets behind the number by that moment), and are
// recomputed from the events.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table analytics_ticket_facts add column fr_breached_at timestamptz, add column res_breached_at timestamptz;
create index analytics_facts_fr_breached_idx on analytics_ticket_facts (fr_breached_at) where fr_breached_at is not null;
create index analytics_facts_res_breached_idx on analytics_ticket_facts (res_breached_at) where res_breached_at is not null;
delete from analytics_daily;
delete from analytics_daily_totals;
delete from analytics_daily_slices;
delete from analytics_agent_daily;
delete from analytics_stage_daily;
delete from analytics_ticket_facts;
insert into analytics_dirty (ticket_id) select id from tickets on conflict do nothing;
`.execute(db);
}
