import { type Kysely, sql } from "kysely";

// Imports from spreadsheets and other helpdesks: the job (file, mapping, progress, report), the
// external ids already imported (so importing the same file twice creates nothing twice), and
// column mappings saved for the next file of the same shape.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table import_jobs (
  id integer generated always as identity primary key,
  source text not null check (source in ('spreadsheet', 'zendesk', 'osticket')),
  entity text not null check (entity in ('tickets', 'customers', 'organizations')),
  status text not null default 'uploaded' check (status in ('uploaded', 'queued', 'running', 'done', 'failed')),
  file_name text not null,
  file_size bigint not null default 0,
  format text not null,
  encoding text,
  headers jsonb not null default '[]',
  sample jsonb not null default '[]',
  total_rows integer not null default 0,
  columns jsonb not null default '{}',
  value_map jsonb not null default '{}',
  options jsonb not null default '{}',
  dry_run jsonb,
  processed_rows integer not null default 0,
  created integer not null default 0,
  skipped integer not null default 0,
  failed integer not null default 0,
  problems jsonb not null default '[]',
  problem_count integer not null default 0,
  error text,
  heartbeat_at timestamptz,
  created_by integer references staff (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
)`.execute(db);
  await sql`
create table import_records (
  source text not null,
  entity text not null,
  external_id text not null,
  local_id integer not null,
  job_id integer references import_jobs (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (source, entity, external_id)
)`.execute(db);
  await sql`create index import_records_job on import_records (job_id, local_id)`.execute(db);
  await sql`
create table import_mappings (
  id integer generated always as identity primary key,
  name text not null,
  entity text not null check (entity in ('tickets', 'customers', 'organizations')),
  columns jsonb not null,
  value_map jsonb not null default '{}',
  created_by integer references staff (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (entity, name)
)`.execute(db);
}
