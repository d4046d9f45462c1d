import { type Kysely, sql } from "kysely";

// Duplicate detection and ticket merge: a new request that repeats one of the customer's open
// tickets points at it (and is not routed on its own); a merged ticket points at the ticket it
// was merged into.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table tickets
  add column duplicate_of_id integer references tickets(id),
  add column merged_into_id integer references tickets(id);
create index tickets_duplicate_of_idx on tickets (duplicate_of_id) where duplicate_of_id is not null;
`.execute(db);
}
