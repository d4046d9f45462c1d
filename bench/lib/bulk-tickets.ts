import { type Kysely, sql } from "kysely";
import type { DB } from "../../server/src/db/schema";

/**
 * Adds tickets straight in SQL (generate_series), shaped like a real desk: most old tickets
 * closed, recent ones open/new/pending, spread over departments, agents, customers and time.
 */
export async function addTickets(
  db: Kysely<DB>,
  opts: {
    from: number;
    to: number;
    total: number;
    departmentIds: number[];
    agentIds: number[];
    customerIds: number[];
    batch?: number;
    /** Texts to vary the tickets by (ticket g gets text g mod their number); without them a numbered subject and no description. */
    texts?: string[];
  },
) {
  const batch = opts.batch ?? 50_000;
  for (let start = opts.from; start <= opts.to; start += batch) {
    const end = Math.min(opts.to, start + batch - 1);
    await sql`
      insert into tickets (subject, description, status, priority, channel, customer_id, department_id, assignee_id,
                           tags, custom_fields, created_at, updated_at, solved_at, closed_at, first_response_at)
      select
        ${opts.texts?.length ? sql`left((${opts.texts}::text[])[1 + (g % ${opts.texts.length})], 24)` : sql`'基准测试工单 ' || g`},
        ${opts.texts?.length ? sql`(${opts.texts}::text[])[1 + (g % ${opts.texts.length})] || '，订单号 DD' || g` : sql`''`},
        s.status,
        (array['low','normal','normal','normal','high','urgent'])[1 + (g % 6)],
        (array['email','portal','widget','phone','wecom','api'])[1 + (g % 6)],
        (${opts.customerIds}::int[])[1 + (g % ${opts.customerIds.length})],
        (${opts.departmentIds}::int[])[1 + (g % ${opts.departmentIds.length})],
        case when s.status = 'new' and g % 3 = 0 then null else (${opts.agentIds}::int[])[1 + ((g / 7) % ${opts.agentIds.length})] end,
        case when g % 10 = 0 then array['VIP'] else '{}'::text[] end,
        '{}'::jsonb, s.created, s.created + (g % 600) * interval '1 minute',
        case when s.status in ('solved','closed') then s.created + (g % 600) * interval '1 minute' end,
        case when s.status = 'closed' then s.created + (g % 600) * interval '1 minute' + interval '4 days' end,
        case when s.status <> 'new' then s.created + (g % 120) * interval '1 minute' end
      from (
        select g,
          now() - (${opts.total}::int - g) * (interval '90 days' / ${opts.total}::int) as created,
          case
            when g > ${opts.total}::int * 0.97 then (array['new','open','open','pending','on_hold','solved'])[1 + (g % 6)]
            when g % 50 = 0 then 'pending'
            when g % 97 = 0 then 'on_hold'
            else 'closed'
          end as status
        from generate_series(${start}::int, ${end}::int) g
      ) s`.execute(db);
  }
  // Vacuumed as well as analysed: a table that grew over months has been vacuumed as it grew; left
  // to autovacuum, the first minutes after a bulk load measure its vacuum of the new rows instead.
  await sql`vacuum analyze tickets`.execute(db);
}
