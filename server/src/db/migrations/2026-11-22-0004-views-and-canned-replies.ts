import { type Kysely, sql } from "kysely";

// Saved views (a named set of ticket-list filters, personal or shared with all staff) and
// canned replies (reusable reply text, personal or shared).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table saved_views (
  id serial primary key,
  owner_id integer not null references staff(id) on delete cascade,
  name text not null,
  filters jsonb not null,
  shared boolean not null default false,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index saved_views_owner_idx on saved_views (owner_id);
create index saved_views_shared_idx on saved_views (shared) where shared;

create table canned_replies (
  id serial primary key,
  owner_id integer references staff(id) on delete cascade,
  title text not null,
  body text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index canned_replies_owner_idx on canned_replies (owner_id);
`.execute(db);
}
