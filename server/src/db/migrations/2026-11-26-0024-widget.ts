import { type Kysely, sql } from "kysely";

// The web widget: a visitor who opens a ticket gets a key to that ticket alone (stored hashed),
// with which the widget shows its replies and sends theirs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table ticket_access_tokens (
  token_hash text primary key,
  ticket_id integer not null references tickets(id),
  customer_id integer not null references customers(id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index ticket_access_tokens_ticket_idx on ticket_access_tokens (ticket_id);
`.execute(db);
}
