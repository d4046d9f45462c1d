import { type Kysely, sql } from "kysely";

const MEASURES = `
  created integer not null default 0,
  repeats integer not null default 0,
  complete integer not null default 0,
  completeness_known integer not null default 0,
  arrivals integer[] not null default '{}',
  first_responses integer not null default 0,
  frt_sum bigint not null default 0,
  frt_bus_sum bigint not null default 0,
  frt_hist integer[] not null default '{}',
  frt_bus_hist integer[] not null default '{}',
  resolved integer not null default 0,
  res_sum bigint not null default 0,
  res_bus_sum bigint not null default 0,
  res_hist integer[] not null default '{}',
  res_bus_hist integer[] not null default '{}',
  fcr integer not null default 0,
  reopened integer not null default 0,
  transferred integer not null default 0,
  transfers integer not null default 0,
  new_s bigint not null default 0,
  open_s bigint not null default 0,
  pending_s bigint not null default 0,
  on_hold_s bigint not null default 0,
  csat_count integer not null default 0,
  csat_sum integer not null default 0,
  csat_positive integer not null default 0,
  csat_negative integer not null default 0,
  sla_fr_total integer not null default 0,
  sla_fr_breached integer not null default 0,
  sla_res_total integer not null default 0,
  sla_res_breached integer not null default 0,
  backlog_delta integer not null default 0`;

// Analytics (复盘): per-ticket facts derived from ticket_events, and daily rollups maintained
// incrementally from them, so dashboards never scan tickets. Every appended ticket event marks its
// ticket dirty in the same transaction; a job recomputes dirty tickets' facts and moves the
// rollups by the difference.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table analytics_dirty (ticket_id integer primary key);

create function analytics_mark_dirty() returns trigger language plpgsql as $$
begin
  insert into analytics_dirty (ticket_id) select distinct ticket_id from new_events on conflict do nothing;
  return null;
end $$;

create trigger ticket_events_mark_dirty after insert on ticket_events
  referencing new table as new_events for each statement execute function analytics_mark_dirty();

-- Elementwise sum of two integer arrays (histograms, arrivals by hour), the shorter padded with zeros.
create function analytics_add(a integer[], b integer[]) returns integer[] language sql immutable as $$
  select coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) order by i), '{}')
  from generate_series(1, greatest(coalesce(array_length(a, 1), 0), coalesce(array_length(b, 1), 0))) as i
$$;

create table analytics_ticket_facts (
  ticket_id integer primary key references tickets(id) on delete cascade,
  created_at timestamptz not null,
  department_id integer not null,
  category_id integer not null,
  channel text not null,
  assignee_id integer,
  first_response_at timestamptz,
  responder_id integer,
  frt_s integer,
  frt_bus_s integer,
  resolved_at timestamptz,
  res_s integer,
  res_bus_s integer,
  unresolved boolean not null,
  reopens integer not null,
  transfers integer not null,
  public_replies integer not null,
  fcr boolean not null,
  is_repeat boolean not null,
  fr_breached boolean not null,
  res_breached boolean not null,
  csat smallint,
  csat_at timestamptz,
  contributions jsonb not null,
  computed_at timestamptz not null default now()
);
create index analytics_facts_created_idx on analytics_ticket_facts (created_at);
create index analytics_facts_first_response_idx on analytics_ticket_facts (first_response_at) where first_response_at is not null;
create index analytics_facts_resolved_idx on analytics_ticket_facts (resolved_at) where resolved_at is not null;
create index analytics_facts_responder_idx on analytics_ticket_facts (responder_id, first_response_at) where responder_id is not null;
create index analytics_facts_assignee_idx on analytics_ticket_facts (assignee_id, resolved_at) where assignee_id is not null;
create index analytics_facts_unresolved_idx on analytics_ticket_facts (department_id, category_id, channel) where unresolved;

create table analytics_daily (
  day date not null,
  department_id integer not null,
  category_id integer not null,
  channel text not null,
  ${sql.raw(MEASURES)},
  primary key (day, department_id, category_id, channel)
);

create table analytics_agent_daily (
  day date not null,
  agent_id integer not null,
  ${sql.raw(MEASURES)},
  primary key (day, agent_id)
);

-- Tickets that existed before analytics: computed by the first refresh.
insert into analytics_dirty (ticket_id) select id from tickets;
`.execute(db);
}
