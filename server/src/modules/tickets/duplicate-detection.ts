import { sql } from "kysely";
import { compiledOnce, slot } from "../../db/compiled-once";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";
import { ticketText } from "../../platform/text/search-text";
import { similarityTo } from "../../platform/text/text-similarity";

/** A new request is compared with the customer's open tickets created this many days back. */
export const DUPLICATE_WINDOW_DAYS = 7;
/**
 * Similarity from which a request counts as a repeat. Only one customer's few recent open
 * tickets are compared, where a repeat is likely, so the bar is moderate; a false match costs an
 * agent one click (不是重复), a missed one a second person working the same problem.
 */
export const DUPLICATE_THRESHOLD = 0.3;

/** The customer's open ticket this request most likely repeats, or null. */
/** The customer's recent open tickets (every new ticket asks: compiled once). */
const openTicketsOf = compiledOnce((db) =>
  db
    .selectFrom("tickets")
    .select(["id", "number", "subject", "description"])
    .where("customer_id", "=", slot<number>("customerId"))
    .where("status", "in", ["new", "open", "pending", "on_hold"])
    .where("created_at", ">=", slot<Date>("since"))
    .where("duplicate_of_id", "is", null)
    .orderBy("created_at", "desc")
    .limit(20)
    .modifyEnd(prepared),
);

type Candidate = { id: number; number: number | string; subject: string; description: string };

/** The candidate the text most likely repeats, or null. */
function bestDuplicate(candidates: Candidate[], text: string) {
  let best: { id: number; number: number; score: number } | null = null;
  const similarity = candidates.length ? similarityTo(text) : () => 0;
  for (const c of candidates) {
    const score = similarity(ticketText(c.subject, c.description));
    if (score >= DUPLICATE_THRESHOLD && (!best || score > best.score))
      best = { id: c.id, number: Number(c.number), score: Math.round(score * 100) / 100 };
  }
  return best;
}

const since = (now: Date) => new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000);

export async function findDuplicateOf(db: Executor, customerId: number, text: string, now = new Date()) {
  if (text.trim() === "") return null;
  return bestDuplicate(await openTicketsOf(db, { customerId, since: since(now) }), text);
}

/** findDuplicateOf for requests of different customers at once: their open tickets in one statement. */
export async function findDuplicatesOf(db: Executor, requests: { customerId: number; text: string }[], now = new Date()) {
  const asked = requests.filter((r) => r.text.trim() !== "");
  if (asked.length <= 1) return Promise.all(requests.map((r) => findDuplicateOf(db, r.customerId, r.text, now)));
  const { rows } = await sql<Candidate & { customer_id: number }>`${prepared}
    select c.customer_id, t.id, t.number, t.subject, t.description
    from unnest(${asked.map((r) => r.customerId)}::int[]) as c(customer_id)
    cross join lateral (
      select id, number, subject, description from tickets
      where customer_id = c.customer_id and status in ('new', 'open', 'pending', 'on_hold')
        and created_at >= ${since(now)} and duplicate_of_id is null
      order by created_at desc limit 20
    ) t`.execute(db);
  const byCustomer = new Map<number, Candidate[]>();
  for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r]);
  return requests.map((r) => (r.text.trim() === "" ? null : bestDuplicate(byCustomer.get(r.customerId) ?? [], r.text)));
}
