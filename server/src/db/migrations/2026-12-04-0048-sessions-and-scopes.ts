import { type Kysely, sql } from "kysely";

// Sessions a person can see and end (the address they started from), and API tokens limited to
// scopes. Tokens made before scopes existed keep every scope, as they had.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sessions add column ip text`.execute(db);
  await sql`alter table api_tokens add column scopes text[] not null default '{tickets:read,tickets:write,analytics,intake,admin}'`.execute(
    db,
  );
  await sql`alter table api_tokens alter column scopes drop default`.execute(db);
}
