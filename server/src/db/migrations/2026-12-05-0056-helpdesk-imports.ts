import { type Kysely, sql } from "kysely";

// Imports from other helpdesks (Zendesk, osTicket): what was found in the source before the
// import starts (counts and the values to map), the sealed credential of an API or database
// source (cleared when the import ends), and the name of a message's author who is not a person
// here (an agent of the old system without an account in Loopdesk).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table import_jobs add column survey jsonb`.execute(db);
  await sql`alter table import_jobs add column secret_sealed text`.execute(db);
  await sql`alter table ticket_messages add column author_name text`.execute(db);
}
