import { type Kysely, sql } from "kysely";

// Each agent's open-ticket total and per-channel counts on their agent_states row, kept by the same
// trigger as agent_open_tickets: a routing decision then locks the row and checks capacity in one
// UPDATE (PostgreSQL re-checks the condition on the newest row after waiting for a lock), instead of
// a lock followed by a count.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table agent_states
  add column open_count integer not null default 0,
  add column open_by_channel jsonb not null default '{}';

insert into agent_states (staff_id) select distinct staff_id from agent_open_tickets where open_count <> 0
  on conflict (staff_id) do nothing;
update agent_states st set open_count = c.total, open_by_channel = c.by_channel
from (
  select staff_id, sum(n)::int as total, jsonb_object_agg(channel, n) as by_channel
  from (select staff_id, channel, sum(open_count)::int as n from agent_open_tickets group by 1, 2 having sum(open_count) <> 0) x
  group by staff_id
) c where c.staff_id = st.staff_id;

create or replace function agent_open_tickets_add(s integer, c integer, ch text, d integer) returns void language sql as $f$
  insert into agent_open_tickets (staff_id, category_id, channel, open_count) values (s, coalesce(c, 0), ch, d)
  on conflict (staff_id, category_id, channel) do update set open_count = agent_open_tickets.open_count + excluded.open_count;
  insert into agent_states (staff_id, open_count, open_by_channel) values (s, d, jsonb_build_object(ch, d))
  on conflict (staff_id) do update set
    open_count = agent_states.open_count + d,
    open_by_channel = jsonb_set(agent_states.open_by_channel, array[ch], to_jsonb(coalesce((agent_states.open_by_channel->>ch)::int, 0) + d));
$f$;
`.execute(db);
}
