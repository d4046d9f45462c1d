import { type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { DomainEvent } from "../../platform/events/event-bus";
import { searchDocument } from "../../platform/text/search-text";

const INDEX_TEXT_LIMIT = 50_000;

/** Events that change what a ticket's search document contains. */
export const affectsSearch = (e: DomainEvent) =>
  e.type !== "ticket.updated" || ((e.payload.fields as string[] | undefined) ?? []).includes("subject");

/**
 * Rebuilds the search documents (jieba-segmented subject, description and messages) of the
 * given tickets in three statements, however many tickets there are.
 */
export async function reindexTickets(trx: Transaction<DB>, ticketIds: number[]) {
  const ids = [...new Set(ticketIds)];
  if (ids.length === 0) return;
  const [tickets, messages] = await Promise.all([
    trx.selectFrom("tickets").select(["id", "subject", "description"]).where("id", "in", ids).execute(),
    trx.selectFrom("ticket_messages").select(["ticket_id", "body_text"]).where("ticket_id", "in", ids).orderBy("id").execute(),
  ]);
  if (tickets.length === 0) return;
  const docs = tickets.map((t) => {
    const text = [t.subject, t.description, ...messages.filter((m) => m.ticket_id === t.id).map((m) => m.body_text)]
      .join("\n")
      .slice(0, INDEX_TEXT_LIMIT);
    return searchDocument(text);
  });
  await sql`
    insert into ticket_search (ticket_id, document, updated_at)
    select v.id, to_tsvector('simple', v.doc), now()
    from (select unnest(${tickets.map((t) => t.id)}::int[]) as id, unnest(${docs}::text[]) as doc) v
    on conflict (ticket_id) do update set document = excluded.document, updated_at = excluded.updated_at`.execute(trx);
}
