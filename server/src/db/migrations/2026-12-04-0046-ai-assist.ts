import { type Kysely, sql } from "kysely";

// AI assist: the admin's OpenAI-compatible endpoint (its key encrypted), and a log of every call.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table ai_settings (
  id integer primary key check (id = 1),
  enabled boolean not null default false,
  base_url text not null default '',
  model text not null default '',
  api_key_sealed text,
  timeout_seconds integer not null default 30,
  updated_at timestamptz not null default now()
)`.execute(db);
  await sql`
create table ai_calls (
  id integer generated always as identity primary key,
  staff_id integer references staff(id) on delete set null,
  ticket_id integer references tickets(id) on delete set null,
  kind text not null check (kind in ('summary', 'reply', 'article')),
  model text not null,
  status text not null check (status in ('ok', 'error', 'timeout')),
  prompt_tokens integer,
  completion_tokens integer,
  latency_ms integer not null,
  error text,
  created_at timestamptz not null default now()
)`.execute(db);
  await sql`create index ai_calls_created on ai_calls (created_at desc)`.execute(db);
}
