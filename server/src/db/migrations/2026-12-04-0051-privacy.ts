import { type Kysely, sql } from "kysely";

// Personal-information requests (PIPL/GDPR) and data retention. A request names a customer and
// holds no personal data itself: the customer row is joined for display, and after an erasure
// that row is anonymized. The verification report holds counts, never the values searched for.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table privacy_requests (
  id serial primary key,
  kind text not null check (kind in ('access', 'erasure')),
  customer_id integer not null references customers (id),
  channel text not null default 'email' check (channel in ('email', 'phone', 'portal', 'letter', 'other')),
  note text not null default '',
  received_at timestamptz not null default now(),
  due_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'done', 'rejected')),
  reason text,
  archive_sha256 text,
  archive_size integer,
  report jsonb,
  created_by integer references staff (id),
  completed_by integer references staff (id),
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
)`.execute(db);
  await sql`create index privacy_requests_open on privacy_requests (status, due_at)`.execute(db);
  await sql`create index privacy_requests_customer on privacy_requests (customer_id)`.execute(db);
  await sql`
create table retention_rules (
  id serial primary key,
  category_id integer references categories (id) on delete cascade,
  months integer not null check (months between 1 and 600),
  active boolean not null default true,
  last_run_at timestamptz,
  purged_total integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
)`.execute(db);
  await sql`create unique index retention_rules_category on retention_rules (coalesce(category_id, 0))`.execute(db);
  await sql`alter table customers add column erased_at timestamptz`.execute(db);
  await sql`alter table tickets add column purged_at timestamptz`.execute(db);
  // Ticket history is append-only too; an erasure or a retention purge may redact an entry's values.
  await sql`
create or replace function ticket_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and coalesce(current_setting('loopdesk.erasure', true), '') = 'on' then
    return new;
  end if;
  raise exception 'ticket_events is append-only';
end $$`.execute(db);
  // An erasure may redact audit entries about the person (their name in a target, their data in a
  // before/after), and only inside the erasure's own transaction, which sets loopdesk.erasure.
  await sql`
create or replace function audit_log_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and coalesce(current_setting('loopdesk.erasure', true), '') = 'on' then
    return new;
  end if;
  if tg_op = 'DELETE' then
    if old.at < now() - make_interval(days => (select retention_days from audit_settings where id = 1)) then
      return old;
    end if;
    raise exception 'audit log entries are kept for the retention period' using errcode = 'insufficient_privilege';
  end if;
  raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
end $$`.execute(db);
}
