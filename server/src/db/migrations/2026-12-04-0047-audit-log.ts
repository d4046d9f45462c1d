import { type Kysely, sql } from "kysely";

// 审计日志: who did what to which object, from where, with the object before and after. The table
// is append-only in the database itself: updates and truncation are refused, and a row can be
// deleted only once it is older than the retention period (so retention works, tampering does not).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table audit_settings (
  id integer primary key check (id = 1),
  retention_days integer not null default 365 check (retention_days between 30 and 3650),
  stream_url text,
  stream_secret_sealed text,
  syslog_target text,
  streamed_until bigint not null default 0,
  updated_at timestamptz not null default now()
)`.execute(db);
  await sql`insert into audit_settings (id) values (1)`.execute(db);
  await sql`
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_type text not null check (actor_type in ('staff', 'customer', 'token', 'system', 'anonymous')),
  actor_id integer,
  actor_name text,
  ip text,
  action text not null,
  outcome text not null default 'ok' check (outcome in ('ok', 'failed')),
  target_type text,
  target_id text,
  target_name text,
  before jsonb,
  after jsonb,
  detail jsonb
)`.execute(db);
  await sql`create index audit_log_at on audit_log (at desc)`.execute(db);
  await sql`create index audit_log_action on audit_log (action, at desc)`.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_type, actor_id, at desc)`.execute(db);
  await sql`create index audit_log_target on audit_log (target_type, target_id, at desc)`.execute(db);
  await sql`
create function audit_log_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.at < now() - make_interval(days => (select retention_days from audit_settings where id = 1)) then
      return old;
    end if;
    raise exception 'audit log entries are kept for the retention period' using errcode = 'insufficient_privilege';
  end if;
  raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update on audit_log for each row execute function audit_log_guard()`.execute(db);
  await sql`create trigger audit_log_retention before delete on audit_log for each row execute function audit_log_guard()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_guard()`.execute(
    db,
  );
}
