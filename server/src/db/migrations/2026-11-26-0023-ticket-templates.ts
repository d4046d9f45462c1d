import { type Kysely, sql } from "kysely";

// Scenario templates: a field's help text and a condition on another answer that makes it
// required; on tickets, the required template fields still missing (信息不全 while not empty) and
// whether the ticket was complete when it was created (a per-channel metric).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table custom_field_definitions
  add column help_text text,
  add column required_when jsonb;
alter table tickets
  add column missing_fields text[] not null default '{}',
  add column complete_at_creation boolean;
create index tickets_incomplete_idx on tickets (updated_at desc, id desc) where cardinality(missing_fields) > 0;
`.execute(db);
}
