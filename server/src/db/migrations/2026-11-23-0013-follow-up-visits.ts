import { type Kysely, sql } from "kysely";

// Follow-up visits (回访): a planned check with the customer after solving, for a department, due
// at a time, with the outcome the visitor records. At most one open visit per ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table follow_up_visits (
  id serial primary key,
  ticket_id integer not null references tickets(id) on delete cascade,
  department_id integer references departments(id) on delete set null,
  assignee_id integer references staff(id) on delete set null,
  reason text not null,
  due_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  result text check (result in ('satisfied', 'resolved_now', 'unresolved', 'unreachable')),
  outcome text,
  source jsonb,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  completed_by integer references staff(id) on delete set null
);
create unique index follow_up_visits_one_open_idx on follow_up_visits (ticket_id) where status = 'open';
create index follow_up_visits_due_idx on follow_up_visits (due_at) where status = 'open';
create index follow_up_visits_ticket_idx on follow_up_visits (ticket_id);
`.execute(db);
}
