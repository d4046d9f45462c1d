import { type Kysely, sql } from "kysely";

// Macros: a canned reply may also change the ticket (status, priority, tags, assignee, fields) in the same click.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table canned_replies add column actions jsonb not null default '{}'::jsonb`.execute(db);
}
