import { type Kysely, sql } from "kysely";

// Exports of the whole workspace made from the admin console: a durable job writes the archive
// (DATA_DIR/exports/<file_name>); the row tracks its progress and outcome.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table workspace_exports (
  id integer generated always as identity primary key,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  requested_by integer references staff (id) on delete set null,
  file_name text,
  bytes bigint,
  tables_done integer not null default 0,
  tables_total integer not null default 0,
  rows bigint not null default 0,
  files integer not null default 0,
  error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
)`.execute(db);
}
