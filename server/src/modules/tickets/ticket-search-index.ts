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
 * given tickets in two statements, however many tickets there are.
 */
export async function reindexTickets(trx: Transaction<DB>, ticketIds: number[]) {
  const ids = [...new Set(ticketIds)];
  if (ids.length === 0) return;
  const tickets = await trx
    .selectFrom("tickets")
    .select(["id", "subject", "description"])
    .select(sql<string[]>`array(select body_text from ticket_messages m where m.ticket_id = tickets.id order by m.id)`.as("messages"))
    .where("id", "in", ids)
    .execute();
  if (tickets.length === 0) return;
  const docs = tickets.map((t) => {
    const text = [t.subject, t.description, ...t.messages].join("\n").slice(0, INDEX_TEXT_LIMIT);
    return searchDocument(text);
  });
  await sql`
    insert into ticket_search (ticket_id, document, updated_at)
    select v.id, to_tsvector('simple', v.doc), now()
    from (select unnest(${tickets.map((t) => t.id)}::int[]) as id, unnest(${docs}::text[]) as doc) v
    on conflict (ticket_id) do update set document = excluded.document, updated_at = excluded.updated_at`.execute(trx);
}
