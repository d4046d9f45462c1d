import { type Kysely, sql } from "kysely";

// A ticket's text features for the duplicate check (platform/text/text-similarity.ts): its words and
// Han character pairs as sorted 32-bit hashes, written with its search document. A new request is
// compared with the customer's open tickets by these, without segmenting each ticket's text again
// (a customer with twenty open tickets of a few hundred characters cost 1.5–9 ms a request that way).
// Null for tickets written before this (and by paths that write no features): their text is used.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ticket_search add column if not exists features bytea`.execute(db);
}
