import { type Kysely, sql } from "kysely";

// A routing decision read each candidate's per-category counts from agent_open_tickets with a
// sub-select per agent; it was the costliest statement of a decision after the assignment itself
// (docs/performance.md). The per-category counts now live on the agent's agent_states row next to
// the total and per-channel ones, so a decision reads one row per agent by primary key; the
// per-(category, channel) table goes. The counting function becomes plpgsql, whose statements are
// planned once per connection (a SQL function with two statements was planned on every call).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table agent_states add column open_by_category jsonb not null default '{}';

update agent_states st set open_by_category = c.by_category
from (
  select staff_id, jsonb_object_agg(category_id::text, n) as by_category
  from (select staff_id, category_id, sum(open_count)::int as n from agent_open_tickets group by 1, 2 having sum(open_count) <> 0) x
  group by staff_id
) c where c.staff_id = st.staff_id;

create or replace function agent_open_tickets_add(s integer, c integer, ch text, d integer) returns void language plpgsql as $f$
declare
  cat text := coalesce(c, 0)::text;
begin
  insert into agent_states (staff_id, open_count, open_by_channel, open_by_category)
    values (s, d, jsonb_build_object(ch, d), jsonb_build_object(cat, d))
  on conflict (staff_id) do update set
    open_count = agent_states.open_count + d,
    open_by_channel = jsonb_set(agent_states.open_by_channel, array[ch], to_jsonb(coalesce((agent_states.open_by_channel->>ch)::int, 0) + d)),
    open_by_category = jsonb_set(agent_states.open_by_category, array[cat], to_jsonb(coalesce((agent_states.open_by_category->>cat)::int, 0) + d));
end
$f$;

drop table agent_open_tickets;
`.execute(db);
}
