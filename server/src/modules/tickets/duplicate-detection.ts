import { compiledOnce, slot } from "../../db/compiled-once";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";
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

export async function findDuplicateOf(db: Executor, customerId: number, text: string, now = new Date()) {
  if (text.trim() === "") return null;
  const candidates = await openTicketsOf(db, { customerId, since: new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000) });
  let best: { id: number; number: number; score: number } | null = null;
  const similarity = candidates.length ? similarityTo(text) : () => 0;
  for (const c of candidates) {
    const score = similarity(`${c.subject}\n${c.description}`);
    if (score >= DUPLICATE_THRESHOLD && (!best || score > best.score))
      best = { id: c.id, number: Number(c.number), score: Math.round(score * 100) / 100 };
  }
  return best;
}
