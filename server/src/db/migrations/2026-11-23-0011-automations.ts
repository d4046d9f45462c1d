import { type Kysely, sql } from "kysely";

// Triggers (event → conditions → actions), time-based automations, outbound webhooks and group
// robots with a delivery log, per-user notification preferences, SLA escalation steps.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table triggers (
  id serial primary key,
  name text not null,
  position integer not null default 0,
  active boolean not null default true,
  events text[] not null,
  conditions jsonb not null default '{"all":[],"any":[]}',
  actions jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table automations (
  id serial primary key,
  name text not null,
  position integer not null default 0,
  active boolean not null default true,
  status text not null,
  hours_in_status integer not null check (hours_in_status > 0),
  conditions jsonb not null default '{"all":[],"any":[]}',
  actions jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One run per ticket and stay in a status: an automation acts once per waiting period.
create table automation_runs (
  automation_id integer not null references automations(id) on delete cascade,
  ticket_id integer not null references tickets(id) on delete cascade,
  episode timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (automation_id, ticket_id, episode)
);

-- When the ticket entered its current status (automations: "pending for more than 48 h").
alter table tickets add column status_changed_at timestamptz;
update tickets t set status_changed_at = coalesce(
  (select max(e.created_at) from ticket_events e where e.ticket_id = t.id and e.type = 'status_changed'), t.created_at);
alter table tickets alter column status_changed_at set not null;
alter table tickets alter column status_changed_at set default now();
create index tickets_status_since_idx on tickets (status, status_changed_at, id);

create table webhooks (
  id serial primary key,
  name text not null,
  kind text not null check (kind in ('generic', 'wecom', 'dingtalk', 'feishu')),
  url text not null,
  secret text,
  events text[] not null default '{}',
  active boolean not null default true,
  locale text not null default 'zh-CN',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table webhook_deliveries (
  id bigserial primary key,
  webhook_id integer not null references webhooks(id) on delete cascade,
  event_type text not null,
  ticket_id integer references tickets(id) on delete set null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempts integer not null default 0,
  response_status integer,
  response_body text,
  error text,
  resend_of bigint references webhook_deliveries(id) on delete set null,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
create index webhook_deliveries_webhook_idx on webhook_deliveries (webhook_id, id desc);

create table notification_preferences (
  staff_id integer primary key references staff(id) on delete cascade,
  prefs jsonb not null default '{}',
  updated_at timestamptz not null default now()
);

-- Escalation: steps after a breach, each run once per clock cycle (the step index and the time
-- of the next step are kept on the clock so the sweep finds them through an index).
alter table sla_policies add column escalation jsonb not null default '[]';
alter table ticket_sla add column escalation_step integer not null default 0;
alter table ticket_sla add column escalate_at timestamptz;
create index ticket_sla_escalate_idx on ticket_sla (escalate_at) where escalate_at is not null;

-- Runaway trigger chains are cut per ticket: firings are counted per ticket and hour.
create table trigger_firings (
  ticket_id integer not null references tickets(id) on delete cascade,
  hour timestamptz not null,
  count integer not null default 0,
  primary key (ticket_id, hour)
);
`.execute(db);
}
