import { type Kysely, sql } from "kysely";

// Each agent's open load (the agent and team reports) counts unresolved facts per assignee; at ten
// million tickets the existing indexes made that a scan of every assigned fact (2 s per report).
// A partial index holds only the open ones.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index analytics_facts_open_assignee_idx on analytics_ticket_facts (assignee_id) where unresolved and assignee_id is not null`.execute(
    db,
  );
}
