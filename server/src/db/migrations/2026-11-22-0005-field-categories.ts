import { type Kysely, sql } from "kysely";

// A ticket field can belong to the templates of some categories: it is asked for (and, when
// required, demanded) only on tickets of those categories. Empty: every ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table custom_field_definitions add column category_ids integer[] not null default '{}'`.execute(db);
}
