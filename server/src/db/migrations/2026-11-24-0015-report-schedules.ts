import { type Kysely, sql } from "kysely";

// Scheduled reports: a weekly or monthly summary of the reports, mailed to a list of people.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table report_schedules (
  id serial primary key,
  name text not null,
  frequency text not null check (frequency in ('weekly', 'monthly')),
  recipients text[] not null,
  filters jsonb not null default '{}',
  locale text not null default 'zh-CN',
  active boolean not null default true,
  next_run_at timestamptz not null,
  last_sent_at timestamptz,
  created_by integer references staff(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index report_schedules_due_idx on report_schedules (next_run_at) where active;
`.execute(db);
}
