import { type Kysely, sql } from "kysely";

// Routing: each ticket's team, priority score and routing state; agent state (presence, shifts,
// capacity); team strategies; rules; required skills per category; the assignment log. An agent's
// open tickets are counted by a trigger (per category and channel), so an assignment decision
// reads a few small rows instead of counting tickets, and the count is exact whoever changes a ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table tickets
  add column team_id integer references teams(id),
  add column priority_score integer not null default 0,
  add column priority_parts jsonb not null default '{}',
  add column transfer_count integer not null default 0,
  add column routing_status text check (routing_status in ('queued', 'offered', 'assigned', 'manual')),
  add column routing_round integer not null default 0,
  add column offered_until timestamptz,
  add column routing_excluded integer[] not null default '{}';
create index tickets_score_idx on tickets (status, priority_score desc, id desc);
create index tickets_waiting_idx on tickets (priority_score desc, id) where routing_status in ('queued', 'offered') and assignee_id is null;
create index tickets_team_idx on tickets (team_id, status);
create index tickets_sla_scored_idx on tickets (id) where (priority_parts->>'sla') is not null and (priority_parts->>'sla') <> '0';

alter table teams
  add column strategy text not null default 'least_loaded'
    check (strategy in ('skill', 'load_aware', 'round_robin', 'least_loaded', 'claim', 'manual')),
  add column claim_timeout_minutes integer not null default 5 check (claim_timeout_minutes between 1 and 1440),
  add column fallback_team_id integer references teams(id);

create table agent_states (
  staff_id integer primary key references staff(id),
  presence text not null default 'offline' check (presence in ('online', 'away', 'offline')),
  presence_source text not null default 'user',
  presence_changed_at timestamptz not null default now(),
  last_seen_at timestamptz,
  capacity integer not null default 10 check (capacity >= 0),
  channel_capacity jsonb not null default '{}',
  shifts jsonb not null default '[]',
  shift_exceptions jsonb not null default '[]',
  last_assigned_at timestamptz,
  updated_at timestamptz not null default now()
);
create index agent_states_presence_idx on agent_states (presence);

create table agent_open_tickets (
  staff_id integer not null,
  category_id integer not null,
  channel text not null,
  open_count integer not null,
  primary key (staff_id, category_id, channel)
);

create function agent_open_tickets_add(s integer, c integer, ch text, d integer) returns void language sql as $f$
  insert into agent_open_tickets (staff_id, category_id, channel, open_count) values (s, coalesce(c, 0), ch, d)
  on conflict (staff_id, category_id, channel) do update set open_count = agent_open_tickets.open_count + excluded.open_count
$f$;

create function agent_open_tickets_track() returns trigger language plpgsql as $f$
declare
  was_open boolean := false;
  is_open boolean := false;
begin
  if tg_op <> 'INSERT' then
    was_open := old.assignee_id is not null and old.status not in ('solved', 'closed');
  end if;
  if tg_op <> 'DELETE' then
    is_open := new.assignee_id is not null and new.status not in ('solved', 'closed');
  end if;
  if was_open and is_open and old.assignee_id = new.assignee_id
     and coalesce(old.category_id, 0) = coalesce(new.category_id, 0) and old.channel = new.channel then
    return null;
  end if;
  -- Two agents' rows in ascending staff order, so two opposite transfers cannot deadlock.
  if was_open and is_open and new.assignee_id < old.assignee_id then
    perform agent_open_tickets_add(new.assignee_id, new.category_id, new.channel, 1);
    perform agent_open_tickets_add(old.assignee_id, old.category_id, old.channel, -1);
  else
    if was_open then perform agent_open_tickets_add(old.assignee_id, old.category_id, old.channel, -1); end if;
    if is_open then perform agent_open_tickets_add(new.assignee_id, new.category_id, new.channel, 1); end if;
  end if;
  return null;
end
$f$;
create trigger tickets_agent_open_count after insert or update of assignee_id, status, category_id, channel or delete on tickets
  for each row execute function agent_open_tickets_track();
insert into agent_open_tickets (staff_id, category_id, channel, open_count)
  select assignee_id, coalesce(category_id, 0), channel, count(*) from tickets
  where assignee_id is not null and status not in ('solved', 'closed') group by 1, 2, 3;

create table category_skills (
  category_id integer not null references categories(id),
  skill_id integer not null references skills(id),
  min_level integer not null default 1 check (min_level between 1 and 5),
  primary key (category_id, skill_id)
);

create table routing_rules (
  id serial primary key,
  name text not null,
  position integer not null default 0,
  active boolean not null default true,
  conditions jsonb not null default '{}',
  team_id integer,
  agent_ids integer[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table assignment_log (
  id bigserial primary key,
  ticket_id integer not null references tickets(id),
  round integer not null,
  outcome text not null,
  team_id integer,
  staff_id integer,
  strategy text,
  reason text not null,
  details jsonb not null default '{}',
  candidates jsonb not null default '[]',
  actor_type text not null,
  actor_id integer,
  created_at timestamptz not null default now()
);
create index assignment_log_ticket_idx on assignment_log (ticket_id, id);
create index assignment_log_recent_idx on assignment_log (id desc);
-- One winner per routing round: the database refuses a second assignment of the same round.
create unique index assignment_log_one_winner on assignment_log (ticket_id, round) where outcome in ('assigned', 'claimed');
`.execute(db);
}
