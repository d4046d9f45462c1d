import { type Kysely, sql } from "kysely";

// The first version of the data model. Plain SQL: PostgreSQL semantics on both engines.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

create table organizations (
  id integer generated always as identity primary key,
  name text not null,
  domain text,
  custom_fields jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index organizations_name_idx on organizations (lower(name));

create table customers (
  id integer generated always as identity primary key,
  name text not null,
  tier text not null default 'normal' check (tier in ('normal','silver','gold','vip')),
  organization_id integer references organizations(id) on delete set null,
  is_org_contact boolean not null default false,
  password_hash text,
  locale text not null default 'zh-CN',
  custom_fields jsonb not null default '{}',
  merged_into_id integer references customers(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index customers_org_idx on customers (organization_id);
create index customers_name_idx on customers (lower(name) text_pattern_ops);

create table customer_identities (
  id integer generated always as identity primary key,
  customer_id integer not null references customers(id) on delete cascade,
  kind text not null check (kind in ('email','phone','wechat_openid','wecom_userid','dingtalk_userid','feishu_open_id','other')),
  value text not null,
  verified boolean not null default false,
  created_at timestamptz not null default now(),
  unique (kind, value)
);
create index customer_identities_customer_idx on customer_identities (customer_id);

create table departments (
  id integer generated always as identity primary key,
  name text not null,
  parent_id integer references departments(id),
  created_at timestamptz not null default now()
);

create table staff (
  id integer generated always as identity primary key,
  email text not null unique,
  name text not null,
  role text not null check (role in ('admin','supervisor','agent')),
  password_hash text not null,
  locale text not null default 'zh-CN',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table staff_departments (
  staff_id integer not null references staff(id) on delete cascade,
  department_id integer not null references departments(id) on delete cascade,
  primary key (staff_id, department_id)
);

create table teams (
  id integer generated always as identity primary key,
  name text not null,
  department_id integer not null references departments(id),
  created_at timestamptz not null default now()
);

create table team_members (
  team_id integer not null references teams(id) on delete cascade,
  staff_id integer not null references staff(id) on delete cascade,
  primary key (team_id, staff_id)
);

create table skills (
  id integer generated always as identity primary key,
  name text not null unique,
  created_at timestamptz not null default now()
);

create table staff_skills (
  staff_id integer not null references staff(id) on delete cascade,
  skill_id integer not null references skills(id) on delete cascade,
  level integer not null check (level between 1 and 5),
  primary key (staff_id, skill_id)
);

create table categories (
  id integer generated always as identity primary key,
  name text not null,
  parent_id integer references categories(id),
  department_id integer references departments(id),
  position integer not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table custom_field_definitions (
  id integer generated always as identity primary key,
  entity text not null check (entity in ('ticket','customer','organization')),
  key text not null,
  label text not null,
  type text not null check (type in ('text','number','date','select','multi_select','checkbox')),
  required boolean not null default false,
  pattern text,
  options jsonb not null default '[]',
  position integer not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (entity, key)
);

create sequence ticket_number_seq start with 10001;

create table tickets (
  id integer generated always as identity primary key,
  number bigint not null unique default nextval('ticket_number_seq'),
  subject text not null,
  description text not null default '',
  status text not null default 'new' check (status in ('new','open','pending','on_hold','solved','closed')),
  priority text not null default 'normal' check (priority in ('low','normal','high','urgent')),
  channel text not null default 'api' check (channel in ('email','portal','widget','wecom','dingtalk','feishu','phone','api')),
  category_id integer references categories(id),
  customer_id integer not null references customers(id),
  organization_id integer references organizations(id),
  department_id integer references departments(id),
  assignee_id integer references staff(id),
  tags text[] not null default '{}',
  custom_fields jsonb not null default '{}',
  first_response_due_at timestamptz,
  next_response_due_at timestamptz,
  resolution_due_at timestamptz,
  first_response_at timestamptz,
  solved_at timestamptz,
  closed_at timestamptz,
  reopen_count integer not null default 0,
  follow_up_of_id integer references tickets(id),
  version integer not null default 1,
  last_customer_message_at timestamptz,
  last_staff_reply_at timestamptz,
  -- millisecond precision: list cursors carry these values through JSON
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()
);
create index tickets_updated_idx on tickets (updated_at desc, id desc);
create index tickets_created_idx on tickets (created_at desc, id desc);
create index tickets_status_updated_idx on tickets (status, updated_at desc, id desc);
create index tickets_assignee_idx on tickets (assignee_id, status, updated_at desc, id desc);
create index tickets_department_idx on tickets (department_id, status, updated_at desc, id desc);
create index tickets_customer_idx on tickets (customer_id, created_at desc);
create index tickets_organization_idx on tickets (organization_id, created_at desc);
create index tickets_category_idx on tickets (category_id, created_at desc);
create index tickets_solved_idx on tickets (solved_at) where status = 'solved';
create index tickets_tags_idx on tickets using gin (tags);

-- Full-text search documents live beside the ticket, so (re)indexing never rewrites the wide,
-- heavily indexed ticket row.
create table ticket_search (
  ticket_id integer primary key references tickets(id),
  document tsvector not null,
  updated_at timestamptz not null default now()
);
create index ticket_search_document_idx on ticket_search using gin (document);

create table ticket_messages (
  id integer generated always as identity primary key,
  ticket_id integer not null references tickets(id),
  visibility text not null check (visibility in ('public','internal')),
  author_type text not null check (author_type in ('staff','customer','system')),
  author_staff_id integer references staff(id),
  author_customer_id integer references customers(id),
  body_text text not null,
  body_html text,
  channel text not null,
  external_id text,
  created_at timestamptz not null default now()
);
create index ticket_messages_ticket_idx on ticket_messages (ticket_id, id);

create table attachments (
  id integer generated always as identity primary key,
  sha256 text not null,
  size integer not null,
  content_type text not null,
  filename text not null,
  ticket_id integer references tickets(id),
  message_id integer references ticket_messages(id),
  uploader_type text not null check (uploader_type in ('staff','customer','system')),
  uploader_id integer,
  created_at timestamptz not null default now()
);
create index attachments_ticket_idx on attachments (ticket_id);
create index attachments_message_idx on attachments (message_id);

create table ticket_events (
  id bigint generated always as identity primary key,
  ticket_id integer not null references tickets(id),
  type text not null,
  actor_type text not null check (actor_type in ('staff','customer','system')),
  actor_id integer,
  field text,
  before jsonb,
  after jsonb,
  data jsonb,
  created_at timestamptz not null default now()
);
create index ticket_events_ticket_idx on ticket_events (ticket_id, id);
create index ticket_events_type_time_idx on ticket_events (type, created_at);

create function ticket_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'ticket_events is append-only';
end $$;
create trigger ticket_events_no_update before update or delete on ticket_events
  for each row execute function ticket_events_append_only();

create table domain_events (
  id bigint generated always as identity primary key,
  type text not null,
  aggregate_type text not null,
  aggregate_id integer not null,
  payload jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table jobs (
  id bigint generated always as identity primary key,
  queue text not null,
  payload jsonb not null default '{}',
  -- a job being run is locked (FOR UPDATE) by its worker's transaction; no 'running' state is stored
  status text not null default 'queued' check (status in ('queued','completed','failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 8,
  run_at timestamptz not null default now(),
  dedupe_key text,
  last_error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
create index jobs_due_idx on jobs (run_at, id) where status = 'queued';
create unique index jobs_dedupe_idx on jobs (queue, dedupe_key) where dedupe_key is not null;

create table sessions (
  id text primary key,
  principal_type text not null check (principal_type in ('staff','customer')),
  principal_id integer not null,
  csrf_token text not null,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_principal_idx on sessions (principal_type, principal_id);

create table api_tokens (
  id integer generated always as identity primary key,
  staff_id integer not null references staff(id) on delete cascade,
  name text not null,
  prefix text not null,
  token_hash text not null unique,
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz not null default now()
);

create table login_failures (
  id bigint generated always as identity primary key,
  key text not null,
  failed_at timestamptz not null default now()
);
create index login_failures_key_idx on login_failures (key, failed_at);

create table idempotency_keys (
  principal text not null,
  key text not null,
  request_hash text not null,
  status_code integer not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (principal, key)
);
`.execute(db);
}
