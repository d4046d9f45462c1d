import { type Kysely, sql } from "kysely";

// Queue views read an index in their sort order instead of sorting every matching ticket:
// priority-ordered queues, and the unassigned queue (whose NULL assignee the planner misjudges).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table tickets add column priority_rank smallint generated always as (
  case priority when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end
) stored;
create index tickets_priority_idx on tickets (priority_rank desc, id desc);
create index tickets_status_priority_idx on tickets (status, priority_rank desc, id desc);
create index tickets_unassigned_idx on tickets (status, updated_at desc, id desc) where assignee_id is null;
`.execute(db);
}
