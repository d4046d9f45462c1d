import { type Kysely, sql } from "kysely";

// A routing run read every candidate agent's state row in full (presence, shifts, capacities and
// the open-ticket counters as JSON): 500 rows per run with ten teams, most of them unchanged since
// the run before. Each row now carries a version drawn from one sequence on every insert and
// update, so a version never repeats, not even within one transaction: a process keeps the rows it
// has read and asks only for those whose version differs from the one it holds.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create sequence agent_states_version_seq;
alter table agent_states add column version bigint not null default nextval('agent_states_version_seq');

create function agent_states_next_version() returns trigger language plpgsql as $f$
begin
  new.version := nextval('agent_states_version_seq');
  return new;
end
$f$;
create trigger agent_states_version before update on agent_states
  for each row execute function agent_states_next_version();
`.execute(db);
}
