import { sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";
import { ticketText } from "../../platform/text/search-text";
import { featureSimilarity, featuresFromBytes, textFeatures } from "../../platform/text/text-similarity";

/** A new request is compared with the customer's open tickets created this many days back. */
export const DUPLICATE_WINDOW_DAYS = 7;
/**
 * Similarity from which a request counts as a repeat. Only one customer's few recent open
 * tickets are compared, where a repeat is likely, so the bar is moderate; a false match costs an
 * agent one click (不是重复), a missed one a second person working the same problem.
 */
export const DUPLICATE_THRESHOLD = 0.3;

/**
 * The candidates' columns: a ticket's kept features (ticket_search.features), or — for a ticket
 * written before they were kept (migration 0061) — its subject and description.
 */
const CANDIDATE = sql<Candidate>`t.id, t.number, s.features,
  case when s.features is null then t.subject end as subject,
  case when s.features is null then t.description end as description`;
const OPEN = sql`status in ('new', 'open', 'pending', 'on_hold') and duplicate_of_id is null`;

type Candidate = { id: number; number: number | string; features: Uint8Array | null; subject: string | null; description: string | null };

const featuresOf = (c: Candidate) =>
  c.features ? featuresFromBytes(c.features) : textFeatures(ticketText(c.subject ?? "", c.description ?? ""));

/** The candidate the request (by its features) most likely repeats, or null. */
function bestDuplicate(candidates: Candidate[], features: Uint32Array) {
  let best: { id: number; number: number; score: number } | null = null;
  for (const c of candidates) {
    const score = featureSimilarity(features, featuresOf(c));
    if (score >= DUPLICATE_THRESHOLD && (!best || score > best.score))
      best = { id: c.id, number: Number(c.number), score: Math.round(score * 100) / 100 };
  }
  return best;
}

const since = (now: Date) => new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000);

/**
 * For each request (its customer and its text's features, textFeatures), the customer's open ticket
 * it most likely repeats, or null: the open tickets of all the requests' customers in one statement.
 * A request without features (no words) repeats nothing.
 */
export async function findDuplicatesOf(db: Executor, requests: { customerId: number; features: Uint32Array }[], now = new Date()) {
  const asked = [...new Set(requests.filter((r) => r.features.length > 0).map((r) => r.customerId))];
  if (asked.length === 0) return requests.map(() => null);
  const { rows } = await sql<Candidate & { customer_id: number }>`${prepared}
    select c.customer_id, ${CANDIDATE}
    from unnest(${asked}::int[]) as c(customer_id)
    cross join lateral (
      select id, number, subject, description from tickets
      where customer_id = c.customer_id and ${OPEN} and created_at >= ${since(now)}
      order by created_at desc limit 20
    ) t
    left join ticket_search s on s.ticket_id = t.id`.execute(db);
  const byCustomer = new Map<number, Candidate[]>();
  for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r]);
  return requests.map((r) => (r.features.length === 0 ? null : bestDuplicate(byCustomer.get(r.customerId) ?? [], r.features)));
}
