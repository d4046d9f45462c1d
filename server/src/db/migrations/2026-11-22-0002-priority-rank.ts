import { type Kysely, sql } from "kysely";

// Queues sorted by priority read an index instead of sorting every visible ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table tickets add column priority_rank smallint generated always as (
  case priority when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end
) stored;
create index tickets_priority_idx on tickets (priority_rank desc, id desc);
create index tickets_status_priority_idx on tickets (status, priority_rank desc, id desc);
`.execute(db);
}
