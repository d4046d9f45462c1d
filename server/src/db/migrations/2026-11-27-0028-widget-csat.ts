import { type Kysely, sql } from "kysely";

// Customers who wrote in through the web widget rate the solved ticket there too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table csat_surveys drop constraint csat_surveys_answered_via_check;
alter table csat_surveys add constraint csat_surveys_answered_via_check check (answered_via in ('link', 'portal', 'widget'));
`.execute(db);
}
