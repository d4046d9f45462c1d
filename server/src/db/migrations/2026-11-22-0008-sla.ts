import { type Kysely, sql } from "kysely";

// SLA: working calendars, ordered policies with targets, and each ticket's clocks. Due times are
// stored (per target, and the earliest on the ticket) so the 即将超时 / 已超时 views and the
// breach sweep are index lookups, not computations over every open ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table business_calendars (
  id serial primary key,
  name text not null,
  time_zone text not null,
  weekly jsonb not null,
  china_official boolean not null default false,
  holidays text[] not null default '{}',
  workdays text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sla_policies (
  id serial primary key,
  name text not null,
  position integer not null default 0,
  active boolean not null default true,
  conditions jsonb not null default '{}',
  first_response_minutes integer check (first_response_minutes > 0),
  next_response_minutes integer check (next_response_minutes > 0),
  resolution_minutes integer check (resolution_minutes > 0),
  business_hours boolean not null default true,
  calendar_id integer references business_calendars(id),
  pause_on_pending boolean not null default true,
  pause_on_hold boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table ticket_sla (
  ticket_id integer not null references tickets(id),
  target text not null check (target in ('first_response','next_response','resolution')),
  policy_id integer references sla_policies(id) on delete set null,
  cycle_start timestamptz not null,
  due_at timestamptz,
  status text not null check (status in ('active','paused','hit','missed')),
  completed_at timestamptz,
  breached_at timestamptz,
  primary key (ticket_id, target)
);
-- The breach sweep: running clocks past due whose miss is not yet recorded.
create index ticket_sla_breach_idx on ticket_sla (due_at) where status = 'active' and breached_at is null;

alter table tickets add column sla_policy_id integer references sla_policies(id) on delete set null;
alter table tickets add column sla_next_due_at timestamptz;
create index tickets_sla_next_due_idx on tickets (sla_next_due_at) where sla_next_due_at is not null;
`.execute(db);
}
