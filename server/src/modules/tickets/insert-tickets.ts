import { sql } from "kysely";
import type { TicketRow } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import type { Executor } from "../../platform/jobs/job-queue";
import { prepared } from "../../db/prepared-statements";
import { nextId } from "../../db/next-id";
import type { CategorySuggestion } from "../classification/category-suggester";
import { linkAttachments } from "./attachment-service";
import { ticketDomainEvent } from "./emit-ticket-event";
import { featuresToBytes } from "../../platform/text/text-similarity";
import { TICKET_COLUMNS } from "./ticket-columns";
import { type Actor, type TicketEventInput, newTicketEventRows, systemActor, ticketEventRowsFor } from "./ticket-events";

/** A new ticket, decided and ready to be written: the row's values, its first history and what follows. */
export type PlannedTicket = {
  principal: Principal;
  actor: Actor;
  at: Date;
  row: {
    subject: string;
    description: string;
    description_html: string | null;
    priority: string;
    channel: string;
    category_id: number | null;
    customer_id: number;
    organization_id: number | null;
    department_id: number | null;
    assignee_id: number | null;
    tags: string[];
    custom_fields: Record<string, unknown>;
    follow_up_of_id: number | null;
    duplicate_of_id: number | null;
    missing_fields: string[];
    complete_at_creation: boolean;
    participant_ids: number[];
    last_customer_message_at: string | null;
    priority_score: number;
    priority_parts: Record<string, unknown>;
  };
  /** The search document's text (to_tsvector of it is stored). */
  document: string;
  /** The text's features for the duplicate check (textFeatures), kept with the search document. */
  features: Uint32Array;
  events: TicketEventInput[];
  suggestion: CategorySuggestion | null;
  duplicate: { id: number; number: number; score: number } | null;
  attachmentIds: number[];
  missing: string[];
};

const ROW_COLUMNS = sql`ord int, subject text, description text, description_html text, priority text, channel text,
  category_id int, customer_id int, organization_id int, department_id int, assignee_id int, tags text[],
  custom_fields jsonb, follow_up_of_id int, duplicate_of_id int, missing_fields text[], complete_at_creation boolean,
  participant_ids int[], last_customer_message_at timestamptz, priority_score int, priority_parts jsonb,
  created_at timestamptz, document text, features text`;
const INSERTED_LIST = [
  ...["subject", "description", "description_html", "priority", "channel", "category_id", "customer_id", "organization_id"],
  ...["department_id", "assignee_id", "tags", "custom_fields", "follow_up_of_id", "duplicate_of_id", "missing_fields"],
  ...["complete_at_creation", "participant_ids", "last_customer_message_at", "priority_score", "priority_parts", "created_at"],
] as const satisfies readonly (keyof PlannedTicket["row"] | "created_at")[];
const INSERTED = sql.raw(INSERTED_LIST.join(", "));
/**
 * The columns the database decides (id, number, defaults): the only ones read back. The rest are the
 * planned row's own values, taken from it rather than returned — reading every column back (texts,
 * arrays, JSON, times) cost a tenth of a millisecond per ticket on the embedded engine.
 */
const GIVEN = new Set([...INSERTED_LIST, "updated_at"]);
const DECIDED = sql.join(TICKET_COLUMNS.filter((c) => !GIVEN.has(c)).map((c) => sql.ref(c)));
/**
 * The written row: its decided columns as read back, the rest as planned (jsonb keeps the keys, in its
 * own order). Assigned onto the row read back: a spread of two wide objects into a new one took tens of
 * microseconds in V8 (Node 20), Object.assign one or two.
 */
const writtenRow = (decided: Partial<TicketRow>, t: PlannedTicket): TicketRow =>
  Object.assign(decided, t.row, {
    last_customer_message_at: t.row.last_customer_message_at === null ? null : new Date(t.row.last_customer_message_at),
    created_at: t.at,
    updated_at: t.at,
  }) as TicketRow;

/**
 * Writes the tickets, each with its first history events and its search document, in one statement
 * (one round trip however many), then what follows from them — category suggestions, duplicate links,
 * attachments — and their `ticket.created` domain events in one more. Returns the rows in this order.
 * Ids are drawn first, in order, so each ticket's events and document are joined to it by id.
 */
export async function insertTickets(ctx: AppContext, trx: Executor, tickets: PlannedTicket[]): Promise<TicketRow[]> {
  if (tickets.length === 0) return [];
  const input = tickets.map((t, ord) => ({
    ord,
    ...t.row,
    created_at: t.at.toISOString(),
    document: t.document,
    features: featuresToBytes(t.features).toString("base64"),
  }));
  const { rows } = await sql<Partial<TicketRow>>`${prepared}
    with input as materialized (
      select ${nextId("tickets")} as id, x.*
      from (select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(${ROW_COLUMNS}) order by ord) x
    ), new_ticket as (
      insert into tickets (id, ${INSERTED}, updated_at) overriding system value
      select id, ${INSERTED}, created_at from input order by id
      returning ${DECIDED}
    ), new_events as (
      insert into ticket_events (ticket_id, type, actor_type, actor_id, field, before, after, data, created_at)
      ${newTicketEventRows(tickets.map((t, ord) => ({ ord, actor: t.actor, events: t.events, at: t.at })))}
    ), new_search as (
      insert into ticket_search (ticket_id, document, features)
      select id, to_tsvector('simple', document), decode(features, 'base64') from input
    )
    select ${DECIDED} from new_ticket order by id`.execute(trx);
  // Ids were drawn in the tickets' order.
  const created = rows.map((decided, i) => writtenRow(decided, tickets[i] as PlannedTicket));
  const suggested = tickets.flatMap((t, i) => (t.suggestion ? [{ ticket: created[i] as TicketRow, s: t.suggestion, at: t.at }] : []));
  if (suggested.length)
    await trx
      .insertInto("ticket_category_suggestions")
      .values(
        suggested.map(({ ticket, s, at }) => ({
          ticket_id: ticket.id,
          category_id: s.categoryId,
          confidence: s.confidence,
          applied: s.apply,
          model_id: s.modelId,
          created_at: at,
        })),
      )
      .execute();
  // Each repeat is noted in the history of the ticket it repeats.
  const links = tickets.flatMap((t, i) => {
    const ticket = created[i] as TicketRow;
    return t.duplicate
      ? [
          {
            ticketId: t.duplicate.id,
            events: [
              { type: "duplicate_linked" as const, data: { ticketId: ticket.id, number: Number(ticket.number), score: t.duplicate.score } },
            ],
          },
        ]
      : [];
  });
  if (links.length)
    await sql`insert into ticket_events (ticket_id, type, actor_type, actor_id, field, before, after, data, created_at)
      ${ticketEventRowsFor(links, systemActor, new Date())}`.execute(trx);
  for (const [i, t] of tickets.entries())
    if (t.attachmentIds.length)
      await linkAttachments(trx, t.principal, t.attachmentIds, { ticketId: (created[i] as TicketRow).id, messageId: null });
  await ctx.events.emitMany(
    trx,
    tickets.map((t, i) =>
      ticketDomainEvent("ticket.created", created[i] as TicketRow, {
        byKind: t.actor.type,
        byId: t.actor.id,
        ...(t.missing.length ? { missingFields: t.missing } : {}),
      }),
    ),
  );
  return created;
}
