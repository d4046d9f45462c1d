import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";
import { searchDocument, ticketText } from "../../platform/text/search-text";
import { featuresToBytes, textFeatures } from "../../platform/text/text-similarity";

const INDEX_TEXT_LIMIT = 50_000;

/**
 * Rebuilds the search documents (jieba-segmented subject, description and messages) of the
 * given tickets in two statements, however many tickets there are.
 */
export async function reindexTickets(trx: Executor, ticketIds: number[]) {
  const ids = [...new Set(ticketIds)];
  if (ids.length === 0) return;
  const tickets = await trx
    .selectFrom("tickets")
    .select(["id", "subject", "description"])
    .select(sql<string[]>`array(select body_text from ticket_messages m where m.ticket_id = tickets.id order by m.id)`.as("messages"))
    .where("id", "in", ids)
    .execute();
  await writeSearchDocuments(trx, tickets);
}

/**
 * Writes the tickets' search documents, and the duplicate check's features of their subject and
 * description (as at creation), in one statement: new rows, or in place of the old ones.
 */
export async function writeSearchDocuments(
  trx: Executor,
  tickets: { id: number; subject: string; description: string; messages: string[] }[],
) {
  if (tickets.length === 0) return;
  const docs = tickets.map((t) => searchDocument([t.subject, t.description, ...t.messages].join("\n").slice(0, INDEX_TEXT_LIMIT)));
  const features = tickets.map((t) => featuresToBytes(textFeatures(ticketText(t.subject, t.description))).toString("base64"));
  await sql`
    insert into ticket_search (ticket_id, document, features, updated_at)
    select v.id, to_tsvector('simple', v.doc), decode(v.features, 'base64'), now()
    from (select unnest(${tickets.map((t) => t.id)}::int[]) as id, unnest(${docs}::text[]) as doc,
                 unnest(${features}::text[]) as features) v
    on conflict (ticket_id) do update set document = excluded.document, features = excluded.features, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

/**
 * Adds a new message's words to its ticket's search document, in the transaction that adds the
 * message: search reads its own writes. (A ticket without a document gets one from scratch.)
 */
export async function appendToSearch(trx: Executor, ticketId: number, text: string) {
  const doc = searchDocument(text);
  if (!doc) return;
  const updated = await sql`
    update ticket_search set document = document || to_tsvector('simple', ${doc}), updated_at = now()
    where ticket_id = ${ticketId}`.execute(trx);
  if (Number(updated.numAffectedRows ?? 0) === 0) await reindexTickets(trx, [ticketId]);
}
