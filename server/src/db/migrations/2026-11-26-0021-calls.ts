import { type Kysely, sql } from "kysely";

// Phone intake: call records from a call-center system, each tied to the ticket it opened or joined.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table calls (
  id integer generated always as identity primary key,
  external_id text not null unique,
  ticket_id integer not null references tickets(id),
  customer_id integer not null references customers(id),
  direction text not null check (direction in ('inbound','outbound')),
  caller_number text not null,
  called_number text,
  agent_id integer references staff(id),
  started_at timestamptz not null,
  answered_at timestamptz,
  ended_at timestamptz,
  recording_url text,
  created_at timestamptz not null default now()
);
create index calls_ticket_idx on calls (ticket_id, started_at);
`.execute(db);
}
