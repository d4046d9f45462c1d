import { type Kysely, sql } from "kysely";

// One-time sign-in for customers: a 6-digit code and a link, sent by email, both stored hashed,
// short-lived, single-use, with a cap on wrong guesses.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table login_codes (
  id serial primary key,
  customer_id integer not null references customers(id) on delete cascade,
  code_hash text not null,
  link_hash text not null unique,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index login_codes_customer_idx on login_codes (customer_id, created_at desc);
`.execute(db);
}
