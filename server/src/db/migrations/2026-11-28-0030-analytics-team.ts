import { type Kysely, sql } from "kysely";

// Reports slice by the team a ticket was routed to (routing sets tickets.team_id). Facts and the
// day × slice rollups gain the team; every fact recorded its contributions under the old keys, so
// facts and rollups are rebuilt from the events by the refresh job (all tickets marked dirty).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table analytics_ticket_facts add column team_id integer not null default 0;
alter table analytics_daily add column team_id integer not null default 0;
alter table analytics_daily drop constraint analytics_daily_pkey;
alter table analytics_daily add primary key (day, department_id, category_id, channel, team_id);
create index analytics_daily_team_idx on analytics_daily (team_id, day);
alter table analytics_daily_slices drop constraint analytics_daily_slices_dimension_check;
alter table analytics_daily_slices add constraint analytics_daily_slices_dimension_check check (dimension in ('department', 'category', 'channel', 'team'));
delete from analytics_daily;
delete from analytics_daily_totals;
delete from analytics_daily_slices;
delete from analytics_agent_daily;
delete from analytics_ticket_facts;
insert into analytics_dirty (ticket_id) select id from tickets on conflict do nothing;
`.execute(db);
}
