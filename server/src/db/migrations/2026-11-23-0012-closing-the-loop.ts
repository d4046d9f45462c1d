import { type Kysely, sql } from "kysely";

// Closing the loop: a department may require a public reply before a ticket is solved (default:
// yes); on solve the customer gets the resolution with a link to confirm (and rate) or reopen.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table departments add column solve_requires_reply boolean not null default true;

create table csat_surveys (
  ticket_id integer primary key references tickets(id) on delete cascade,
  token_hash text not null unique,
  sent_at timestamptz not null default now(),
  rating smallint check (rating between 1 and 5),
  comment text,
  answered_at timestamptz,
  answered_via text check (answered_via in ('link', 'portal'))
);
create index csat_surveys_answered_idx on csat_surveys (answered_at) where answered_at is not null;
`.execute(db);
}
