import type { Message, TicketEvent } from "@loopdesk/contracts/tickets";
import type { Selectable } from "kysely";
import type { TicketMessagesTable } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { Executor } from "../../platform/jobs/job-queue";
import { customerNames } from "../customers/customer-service";
import { staffNames } from "../staff/staff-service";
import { attachmentsForMessages } from "./attachment-service";
import { loadVisibleTicket } from "./ticket-access";
import { CUSTOMER_VISIBLE_EVENTS } from "./ticket-events";

async function namesOf(db: Executor, staffIds: (number | null)[], customerIds: (number | null)[]) {
  const s = [...new Set(staffIds.filter((x): x is number => x !== null))];
  const c = [...new Set(customerIds.filter((x): x is number => x !== null))];
  const [staff, customers] = await Promise.all([staffNames(db, s), customerNames(db, c)]);
  return { staff, customers };
}

export async function presentMessages(db: Executor, rows: Selectable<TicketMessagesTable>[]): Promise<Message[]> {
  const [names, attachments] = await Promise.all([
    namesOf(
      db,
      rows.map((r) => r.author_staff_id),
      rows.map((r) => r.author_customer_id),
    ),
    attachmentsForMessages(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((m) => ({
    id: m.id,
    ticketId: m.ticket_id,
    visibility: m.visibility,
    authorType: m.author_type,
    authorId: m.author_staff_id ?? m.author_customer_id,
    authorName:
      (m.author_staff_id ? names.staff.get(m.author_staff_id) : m.author_customer_id ? names.customers.get(m.author_customer_id) : null) ??
      null,
    bodyText: m.body_text,
    bodyHtml: m.body_html,
    channel: m.channel as Message["channel"],
    attachments: attachments.get(m.id) ?? [],
    createdAt: m.created_at.toISOString(),
  }));
}

/** The conversation; customers never see internal notes. */
export async function listMessages(db: Executor, principal: Principal, ticketId: number) {
  await loadVisibleTicket(db, principal, ticketId);
  let q = db.selectFrom("ticket_messages").selectAll().where("ticket_id", "=", ticketId).orderBy("id").limit(2000);
  if (principal.kind === "customer") q = q.where("visibility", "=", "public");
  return presentMessages(db, await q.execute());
}

/** The ticket's history; customers see only the events meant for them. */
export async function listEvents(db: Executor, principal: Principal, ticketId: number): Promise<TicketEvent[]> {
  await loadVisibleTicket(db, principal, ticketId);
  let q = db.selectFrom("ticket_events").selectAll().where("ticket_id", "=", ticketId).orderBy("id").limit(5000);
  if (principal.kind === "customer") q = q.where("type", "in", [...CUSTOMER_VISIBLE_EVENTS]);
  const rows = await q.execute();
  const names = await namesOf(
    db,
    rows.map((r) => (r.actor_type === "staff" ? r.actor_id : null)),
    rows.map((r) => (r.actor_type === "customer" ? r.actor_id : null)),
  );
  return rows.map((e) => ({
    id: e.id,
    ticketId: e.ticket_id,
    type: e.type,
    actorType: e.actor_type,
    actorId: e.actor_id,
    actorName: e.actor_id === null ? null : ((e.actor_type === "staff" ? names.staff : names.customers).get(e.actor_id) ?? null),
    field: e.field,
    before: e.before,
    after: e.after,
    data: principal.kind === "customer" ? null : e.data,
    createdAt: e.created_at.toISOString(),
  }));
}
