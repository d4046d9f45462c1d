import { type Kysely, sql } from "kysely";

// The index review of `tickets` (issue 23, `npm run bench -- --only indexes`, docs/performance.md):
// every statement's plan on 300k tickets while the API was used as each role uses it, then each
// index's requests timed without it. Dropped, as no statement needs them:
// - tickets_incomplete_idx, tickets_duplicate_of_idx: no query filters on them (tickets are never
//   deleted, so the duplicate reference needs no index for its foreign-key check either);
// - tickets_unassigned_idx, tickets_status_priority_idx, tickets_solved_idx: their requests are as
//   fast without them (the status-led and per-column indexes serve them; the auto-close pass reads
//   the few solved tickets through tickets_status_since_idx).
// Every ticket insert and most updates wrote all five.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    "tickets_incomplete_idx",
    "tickets_duplicate_of_idx",
    "tickets_unassigned_idx",
    "tickets_status_priority_idx",
    "tickets_solved_idx",
  ])
    await sql.raw(`drop index if exists ${index}`).execute(db);
}
