import { type Kysely, sql } from "kysely";

// Staff can be invited by email: the account exists without a password until the invitee sets
// one through the emailed link (stored hashed, single-use, expiring).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table staff alter column password_hash drop not null;
create table staff_invitations (
  id serial primary key,
  staff_id integer not null references staff(id) on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index staff_invitations_staff_idx on staff_invitations (staff_id);
`.execute(db);
}
