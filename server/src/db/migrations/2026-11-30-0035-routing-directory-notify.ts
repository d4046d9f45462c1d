import { type Kysely, sql } from "kysely";

// Each process keeps the routing directory (rules, teams and members, departments, category skills,
// staff and their skills, routing settings) for a few seconds. Only the routing API's own changes
// reset it, in its own process: a team's members changed through the directory API were seen up to
// three seconds late, and other processes saw even routing changes late. Every change to those
// tables now notifies the channel 'loopdesk_routing_directory' when it commits (NOTIFY is
// transactional, and one per transaction however many statements), and every process listening
// drops its copy.
const TABLES = [
  "settings",
  "routing_rules",
  "teams",
  "team_members",
  "departments",
  "category_skills",
  "staff",
  "staff_departments",
  "staff_skills",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create function notify_routing_directory() returns trigger language plpgsql as $f$
begin
  perform pg_notify('loopdesk_routing_directory', '');
  return null;
end
$f$;
`.execute(db);
  for (const table of TABLES)
    await sql`
create trigger ${sql.id(`${table}_routing_directory`)} after insert or update or delete or truncate on ${sql.table(table)}
  for each statement execute function notify_routing_directory()`.execute(db);
}
