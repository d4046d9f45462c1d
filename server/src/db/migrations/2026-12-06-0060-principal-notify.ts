import { type Kysely, sql } from "kysely";

// Each process keeps who a bearer token or a staff member's session stands for (platform/auth/
// principal-cache.ts). Every change that can alter that — a staff member's row (role, active,
// name, locale), their departments, a token revoked, expiring or deleted — notifies the channel
// 'loopdesk_principals' when it commits (once per transaction), and every process listening drops
// its copies. A token's last use, written once a minute, does not.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create function notify_principals() returns trigger language plpgsql as $f$
begin
  perform pg_notify('loopdesk_principals', '');
  return null;
end
$f$;
`.execute(db);
  for (const table of ["staff", "staff_departments"])
    await sql`
create trigger ${sql.id(`${table}_principals`)} after insert or update or delete or truncate on ${sql.table(table)}
  for each statement execute function notify_principals()`.execute(db);
  await sql`
create trigger api_tokens_principals after update of staff_id, token_hash, expires_at, revoked_at or delete or truncate
  on api_tokens for each statement execute function notify_principals()`.execute(db);
}
