import { type Kysely, sql } from "kysely";

// One-click urge (催办) counted on the ticket; in-app notifications for staff (the bell).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table tickets add column urge_count integer not null default 0;

create table notifications (
  id bigserial primary key,
  staff_id integer not null references staff(id) on delete cascade,
  type text not null,
  ticket_id integer references tickets(id),
  data jsonb not null default '{}',
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_staff_idx on notifications (staff_id, id desc);
create index notifications_unread_idx on notifications (staff_id) where read_at is null;
`.execute(db);
}
