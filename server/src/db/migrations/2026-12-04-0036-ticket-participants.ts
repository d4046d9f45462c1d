import { type Kysely, sql } from "kysely";

// Staff who created a ticket or worked on it (a reply, a note, a change, a transfer) keep reading
// it after it moves to a department they are not in: an agent who logs a phone ticket for 财务
// must not lose it the moment routing sends it there. The ids live on the ticket row, so the
// list filter, the single-ticket check and the live stream (which sees only the row) agree.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tickets add column participant_ids integer[] not null default '{}'`.execute(db);
  await sql`create index tickets_participants_idx on tickets using gin (participant_ids)`.execute(db);
  // Past creators and authors become participants of the tickets they worked on.
  await sql`
update tickets t set participant_ids = p.ids
from (
  select ticket_id, array_agg(distinct staff_id order by staff_id) as ids from (
    select ticket_id, actor_id as staff_id from ticket_events where actor_type = 'staff' and actor_id is not null
    union
    select ticket_id, author_staff_id from ticket_messages where author_staff_id is not null
  ) s group by ticket_id
) p
where p.ticket_id = t.id`.execute(db);
}
