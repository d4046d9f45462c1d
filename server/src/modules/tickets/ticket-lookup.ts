import type { TicketStatus } from "@loopdesk/contracts/tickets";
import { sql } from "kysely";
import { presentTicket } from "./ticket-presenter";
import type { Executor } from "../../platform/jobs/job-queue";

/** Ticket reads for other modules' background work (rules, notifications, webhooks); no permission checks. */

/** The ticket, locked for the caller's transaction. */
export const lockTicket = (db: Executor, id: number) =>
  db.selectFrom("tickets").selectAll().where("id", "=", id).forNoKeyUpdate().executeTakeFirst();

export const findTicketById = (db: Executor, id: number) => db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirst();

export const findTicketByNumber = (db: Executor, number: number) =>
  db.selectFrom("tickets").selectAll().where("number", "=", number).executeTakeFirst();

/** What a message about a ticket needs to say which ticket it is. */
export async function ticketSummary(db: Executor, id: number, publicUrl: string) {
  const t = await db
    .selectFrom("tickets")
    .select([
      "id",
      "number",
      "subject",
      "status",
      "priority",
      "channel",
      "customer_id",
      "assignee_id",
      "department_id",
      "category_id",
      "tags",
      "updated_at",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!t) return null;
  return {
    id: t.id,
    number: Number(t.number),
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    customerId: t.customer_id,
    assigneeId: t.assignee_id,
    departmentId: t.department_id,
    categoryId: t.category_id,
    tags: t.tags,
    updatedAt: t.updated_at.toISOString(),
    url: `${publicUrl}/tickets/${t.id}`,
  };
}
export type TicketSummary = NonNullable<Awaited<ReturnType<typeof ticketSummary>>>;

/**
 * Tickets that have been in `status` since before `enteredBefore`, oldest first, after a keyset
 * cursor, locked — through the (status, status_changed_at, id) index. The status time also comes
 * as the database prints it, exact to the microsecond, for the next cursor.
 */
export async function ticketsInStatusSince(
  db: Executor,
  q: { status: TicketStatus; enteredBefore: Date; after: { at: string; id: number } | null; limit: number },
) {
  let query = db
    .selectFrom("tickets")
    .selectAll()
    .select(sql<string>`status_changed_at::text`.as("status_changed_text"))
    .where("status", "=", q.status)
    .where("status_changed_at", "<=", q.enteredBefore)
    .orderBy("status_changed_at")
    .orderBy("id")
    .limit(q.limit)
    .forNoKeyUpdate();
  const after = q.after;
  if (after) {
    const at = sql<Date>`${after.at}::timestamptz`;
    query = query.where((eb) =>
      eb.or([eb("status_changed_at", ">", at), eb.and([eb("status_changed_at", "=", at), eb("id", ">", after.id)])]),
    );
  }
  return query.execute();
}

/** The text of the last public reply by staff (the resolution shown to the customer). */
export async function lastPublicStaffReply(db: Executor, ticketId: number) {
  const row = await db
    .selectFrom("ticket_messages")
    .select("body_text")
    .where("ticket_id", "=", ticketId)
    .where("visibility", "=", "public")
    .where("author_type", "=", "staff")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.body_text ?? null;
}

/** Number and subject of tickets, for lists in other modules. */
export async function ticketTitles(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, { number: number; subject: string }>();
  const rows = await db.selectFrom("tickets").select(["id", "number", "subject"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, { number: Number(r.number), subject: r.subject }]));
}

/** The department each of these tickets is in (null: the shared inbox). */
export async function ticketDepartments(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, number | null>();
  const rows = await db.selectFrom("tickets").select(["id", "department_id"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.department_id]));
}

/** Tickets by id as the API presents them, in the order of `ids` (missing ones left out). */
export async function presentedTickets(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("tickets").selectAll().where("id", "in", ids).execute();
  const byId = new Map(rows.map((r) => [r.id, presentTicket(r)]));
  return ids.map((id) => byId.get(id)).filter((t) => t !== undefined);
}

/** One message's text and who wrote it, e.g. to send a public reply out by email. */
export async function ticketMessageForMail(db: Executor, messageId: number) {
  return db
    .selectFrom("ticket_messages")
    .select(["id", "ticket_id", "visibility", "author_type", "body_text"])
    .where("id", "=", messageId)
    .executeTakeFirst();
}

/** The customer's most recently active unsolved ticket on a channel (and category), if active since then. */
export async function openTicketOf(db: Executor, q: { customerId: number; channel: string; since: Date; categoryId?: number }) {
  let query = db
    .selectFrom("tickets")
    .select(["id", "number"])
    .where("customer_id", "=", q.customerId)
    .where("channel", "=", q.channel)
    .where("status", "in", ["new", "open", "pending", "on_hold"])
    .where("updated_at", ">=", q.since)
    .orderBy("updated_at", "desc")
    .limit(1);
  if (q.categoryId !== undefined) query = query.where("category_id", "=", q.categoryId);
  return query.executeTakeFirst();
}

/** Whether the ticket's history has an event of this type (e.g. a message that must go out once). */
export async function hasTicketEvent(db: Executor, ticketId: number, type: string) {
  const row = await db
    .selectFrom("ticket_events")
    .select("id")
    .where("ticket_id", "=", ticketId)
    .where("type", "=", type)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
