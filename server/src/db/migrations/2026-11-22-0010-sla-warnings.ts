import { type Kysely, sql } from "kysely";

// Warnings before a breach: at a share of the target used (e.g. 75%) and/or some minutes before
// the due time (e.g. 15). Each fires once per clock cycle; the next one's time is stored for the sweep.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table sla_policies add column warn_percent integer check (warn_percent between 1 and 99);
alter table sla_policies add column warn_minutes_before integer check (warn_minutes_before > 0);
alter table ticket_sla add column warn_at timestamptz;
alter table ticket_sla add column warned text[] not null default '{}';
create index ticket_sla_warn_idx on ticket_sla (warn_at) where status = 'active' and warn_at is not null;
`.execute(db);
}
