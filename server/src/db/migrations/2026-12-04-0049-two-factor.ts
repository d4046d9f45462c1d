import { type Kysely, sql } from "kysely";

// Two-factor sign-in for staff: an authenticator app's secret (sealed), one-time recovery codes
// (hashed), and sessions that must enrol before they may do anything else.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table staff add column totp_secret_sealed text`.execute(db);
  await sql`alter table staff add column totp_pending_sealed text`.execute(db);
  await sql`alter table staff add column totp_enabled_at timestamptz`.execute(db);
  await sql`
create table staff_recovery_codes (
  id integer generated always as identity primary key,
  staff_id integer not null references staff(id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
)`.execute(db);
  await sql`create index staff_recovery_codes_staff on staff_recovery_codes (staff_id)`.execute(db);
  await sql`alter table sessions add column needs_two_factor boolean not null default false`.execute(db);
}
