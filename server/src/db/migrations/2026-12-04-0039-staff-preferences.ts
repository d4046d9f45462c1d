import { type Kysely, sql } from "kysely";

// What a staff member set up for themself in the workspace (the queue's columns and page size),
// so it follows them to any browser.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table staff add column preferences jsonb not null default '{}'`.execute(db);
}
