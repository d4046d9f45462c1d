import { type Kysely, sql } from "kysely";

// A ticket opened by an HTML email (or an API client sending HTML) keeps its formatting: the
// sanitized HTML beside the plain text that search, previews and notifications use.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tickets add column description_html text`.execute(db);
}
