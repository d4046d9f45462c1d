import { type Kysely, sql } from "kysely";

// China's official holidays and make-up working days (调休) come with the chinese-days package,
// which knows them only up to the year it was released. For a year it does not know yet, an
// administrator enters the days the State Council announced (or loads them from an .ics file);
// once a package update knows the year, its days are used and these are ignored.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table official_calendar_days (
  date date primary key,
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null default '',
  source text not null default 'manual' check (source in ('manual', 'ics')),
  created_at timestamptz not null default now()
)`.execute(db);
}
