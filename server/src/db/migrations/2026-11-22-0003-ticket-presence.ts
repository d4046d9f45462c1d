import { type Kysely, sql } from "kysely";

// Who is looking at or typing on a ticket right now (collision detection). Rows are refreshed
// by heartbeats and count only while recent; they live in the database so every server
// process sees the same agents.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table ticket_presence (
  ticket_id integer not null references tickets(id),
  staff_id integer not null references staff(id) on delete cascade,
  state text not null check (state in ('viewing','typing')),
  updated_at timestamptz not null default now(),
  primary key (ticket_id, staff_id)
);
create index ticket_presence_updated_idx on ticket_presence (updated_at);
`.execute(db);
}
