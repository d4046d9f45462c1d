import { type Kysely, sql } from "kysely";

// 智能分类: text classifiers trained on the workspace's handled tickets (the model's bytes, its
// accuracy on a held-out slice), and what one suggested for each new ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table classifier_models (
  id integer generated always as identity primary key,
  created_at timestamptz not null default now(),
  examples integer not null,
  held_out integer not null,
  top1 double precision not null,
  top3 double precision not null,
  keyword_top1 double precision,
  training_ms integer not null,
  categories jsonb not null,
  model bytea not null
)`.execute(db);
  await sql`
create table ticket_category_suggestions (
  ticket_id integer primary key references tickets(id) on delete cascade,
  category_id integer not null references categories(id),
  confidence real not null,
  applied boolean not null,
  model_id integer references classifier_models(id) on delete set null,
  created_at timestamptz not null default now()
)`.execute(db);
}
