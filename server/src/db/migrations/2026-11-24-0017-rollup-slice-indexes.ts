import { type Kysely, sql } from "kysely";

// A sliced overview still breaks its tickets down by the other slices from analytics_daily:
// these let it read only the days' rows of its department, category or channel.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create index analytics_daily_channel_idx on analytics_daily (channel, day);
create index analytics_daily_category_idx on analytics_daily (category_id, day);
create index analytics_daily_department_idx on analytics_daily (department_id, day);
`.execute(db);
}
