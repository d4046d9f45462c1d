import { type Kysely, sql } from "kysely";
import type { DB } from "../../server/src/db/schema";
import { searchDocument } from "../../server/src/platform/text/search-text";
import { addTickets } from "./bulk-tickets";
import { generateCorpus } from "./classification-corpus";
import { load, round } from "./load";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
const GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"];
const TEXTS = 5000;

/** The phone number of generated customer i (11-digit mobile numbers, all different). */
export const phoneOf = (i: number) => `139${String(10_000_000 + i * 37).slice(-8)}`;

/**
 * A workspace of `tickets` tickets whose texts vary like citizen-hotline requests (5,000 texts, each
 * with its own order number), their search documents as the server writes them (jieba words in a
 * tsvector), and tickets/20 customers with a Chinese name, a mobile number and an email address.
 */
export async function loadSearchWorkspace(
  db: Kysely<DB>,
  opts: { tickets: number; departmentIds: number[]; agentIds: number[]; onProgress?: (step: string) => void },
) {
  const customers = Math.max(100, Math.floor(opts.tickets / 20));
  const start = (await sql<{ n: number }>`select coalesce(max(id), 0)::int as n from customers`.execute(db)).rows[0]?.n ?? 0;
  await sql`
    insert into customers (name, custom_fields)
    select (${SURNAMES}::text[])[1 + (g % ${SURNAMES.length})] || (${GIVEN}::text[])[1 + ((g / ${SURNAMES.length}) % ${GIVEN.length})], '{}'
    from generate_series(1, ${customers}::int) g`.execute(db);
  const phones = Array.from({ length: customers }, (_, i) => `+86${phoneOf(i + 1)}`);
  await sql`
    insert into customer_identities (customer_id, kind, value)
    select ${start}::int + g, 'phone', (${phones}::text[])[g] from generate_series(1, ${customers}::int) g
    union all
    select ${start}::int + g, 'email', 'search' || g || '@example.cn' from generate_series(1, ${customers}::int) g`.execute(db);
  const customerIds = (await db.selectFrom("customers").select("id").where("id", ">", start).execute()).map((c) => c.id);
  opts.onProgress?.(`${customers} customers`);

  const texts = generateCorpus(TEXTS, 11).map((c) => c.text);
  const first = (await sql<{ n: number }>`select coalesce(max(id), 0)::int as n from tickets`.execute(db)).rows[0]?.n ?? 0;
  await addTickets(db, {
    from: first + 1,
    to: first + opts.tickets,
    total: first + opts.tickets,
    departmentIds: opts.departmentIds,
    agentIds: opts.agentIds,
    customerIds,
    texts,
  });
  opts.onProgress?.(`${opts.tickets} tickets`);
  // Search documents as create-ticket writes them: the subject and the description, segmented by jieba.
  const docs = texts.map((t) => searchDocument(t.slice(0, 24), t));
  const batch = 100_000;
  for (let from = first + 1; from <= first + opts.tickets; from += batch) {
    await sql`
      insert into ticket_search (ticket_id, document)
      select t.id, to_tsvector('simple', (${docs}::text[])[1 + (t.id % ${TEXTS})] || ' dd' || t.id)
      from tickets t where t.id between ${from}::int and ${Math.min(first + opts.tickets, from + batch - 1)}::int
      on conflict (ticket_id) do nothing`.execute(db);
  }
  await sql`analyze tickets`.execute(db);
  await sql`analyze ticket_search`.execute(db);
  await sql`analyze customer_identities`.execute(db);
  opts.onProgress?.("search documents");
  return { customers };
}

/**
 * Ticket search over HTTP as the list (newest first, and ranked by relevance as the list shows a
 * search) and the top bar's suggestions (ranked) ask it: one and two words,
 * a phone number's last four and first seven digits, by an administrator and by a
 * department-scoped agent; each result's tickets must be ones the caller may see.
 */
export async function measureSearch(
  apis: { admin: Api; agent: Api },
  opts: { runs: number; customers: number; agent: { id: number; departmentId: number } },
) {
  const someone = Math.floor(opts.customers / 3);
  const queries: [string, string][] = [
    ["one word, common (投诉, ~12% of tickets)", "投诉"],
    ["one word (油烟)", "油烟"],
    ["two words (社保卡 补办)", "社保卡 补办"],
    ["two words (开发商 维修)", "开发商 维修"],
    ["phone number, last four digits", phoneOf(someone).slice(-4)],
    ["phone number, first seven digits", phoneOf(someone).slice(0, 7)],
  ];
  const results: Record<string, unknown>[] = [];
  for (const [who, api] of Object.entries(apis)) {
    for (const [name, q] of queries) {
      const url = `/api/v1/tickets?q=${encodeURIComponent(q)}&limit=50`;
      const first = (await api("GET", url)) as { items: { departmentId: number | null; assigneeId: number | null }[] };
      if (who === "agent" && first.items.some((t) => t.departmentId !== opts.agent.departmentId && t.assigneeId !== opts.agent.id))
        throw new Error(`search showed the agent a ticket outside their scope (${name})`);
      for (let i = 0; i < 5; i++) await api("GET", url);
      const stats = await load(opts.runs, 1, async () => void (await api("GET", url)));
      // As the list asks when someone searches: best match first (relevance over the newest 1,000 text matches).
      const rankedUrl = `${url}&sort=relevance`;
      for (let i = 0; i < 3; i++) await api("GET", rankedUrl);
      const ranked = await load(opts.runs, 1, async () => void (await api("GET", rankedUrl)));
      const suggest = await load(
        Math.ceil(opts.runs / 2),
        1,
        async () => void (await api("GET", `/api/v1/search?q=${encodeURIComponent(q)}`)),
      );
      results.push({ who, query: name, q, found: first.items.length, list: stats, ranked, suggestions: suggest });
    }
  }
  const worstP99 = Math.max(
    ...results.map((r) =>
      Math.max((r.list as { p99Ms: number }).p99Ms, (r.ranked as { p99Ms: number }).p99Ms, (r.suggestions as { p99Ms: number }).p99Ms),
    ),
  );
  return { queries: results, worstP99Ms: round(worstP99) };
}
