import { type Kysely, sql } from "kysely";

// Answers of the company's CRM/ERP lookup, cached per request URL so a ticket page does not call
// the company's system on every view.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table crm_lookup_cache (
  url_hash text primary key,
  records jsonb not null,
  fetched_at timestamptz not null default now()
);
`.execute(db);
}
