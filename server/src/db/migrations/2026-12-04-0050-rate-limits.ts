import { type Kysely, sql } from "kysely";

// Rate-limit counters shared by every process on PostgreSQL: one row per key and minute. Unlogged
// (a crash may lose a minute's counts, which is harmless) and cleaned as windows pass.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create unlogged table rate_limit_counters (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (key, window_start)
)`.execute(db);
}
