import { type Kysely, sql } from "kysely";

// Passkeys (WebAuthn) as a second factor for staff: each credential's id, public key (COSE,
// base64url), signature counter and transports, with the name its owner gave it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table staff_passkeys (
  id serial primary key,
  staff_id integer not null references staff (id) on delete cascade,
  credential_id text not null unique,
  public_key text not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  name text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
)`.execute(db);
  await sql`create index staff_passkeys_staff on staff_passkeys (staff_id)`.execute(db);
}
