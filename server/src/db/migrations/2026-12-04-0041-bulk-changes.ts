import { type Kysely, sql } from "kysely";

// A bulk change can be undone for a minute by whoever made it: what each ticket held before, and
// the version the change left it at (a ticket changed since is not undone).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table bulk_changes (
  id text primary key,
  staff_id integer not null references staff(id) on delete cascade,
  items jsonb not null,
  created_at timestamptz not null default now()
)`.execute(db);
}
