import type { EventNames, Message, TicketEvent } from "@loopdesk/contracts/tickets";
import type { Selectable } from "kysely";
import type { TicketMessagesTable } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { Executor } from "../../platform/jobs/job-queue";
import { customerNames } from "../customers/customer-service";
import { directoryNames } from "../directory/directory-names";
import { staffNames } from "../staff/staff-service";
import { attachmentsForMessages } from "./attachment-service";
import { customerStateOf } from "./ticket-presenter";
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
      m.author_name ??
      null,
    bodyText: m.body_text,
    bodyHtml: m.body_html,
    channel: m.channel as Message["channel"],
    attachments: attachments.get(m.id) ?? [],
    createdAt: m.created_at.toISOString(),
  }));
}

/**
 * The conversation in the order it was written (a message brought in later with its own time — an
 * import, a step's notice written afterwards — takes its place by that time); customers never see
 * internal notes.
 */
export async function listMessages(db: Executor, principal: Principal, ticketId: number) {
  await loadVisibleTicket(db, principal, ticketId);
  let q = db.selectFrom("ticket_messages").selectAll().where("ticket_id", "=", ticketId).orderBy("created_at").orderBy("id").limit(2000);
  if (principal.kind === "customer") q = q.where("visibility", "=", "public");
  return presentMessages(db, await q.execute());
}

const customerValue = (field: string | null, v: unknown) =>
  field === "status" && typeof v === "string" ? customerStateOf(v) : typeof v === "number" && field === null ? v : null;

type EventRow = {
  type: string;
  field: string | null;
  before: unknown;
  after: unknown;
  data?: unknown;
  actor_type: string;
  actor_id: number | null;
};

/** The ids a history entry refers to, by kind: its actor, and the people, departments, teams and categories it changed. */
function referencedIds(rows: EventRow[]) {
  const ids = {
    staff: [] as number[],
    customers: [] as number[],
    departments: [] as number[],
    teams: [] as number[],
    categories: [] as number[],
  };
  const add = (list: number[], ...values: unknown[]) => {
    for (const v of values) if (typeof v === "number") list.push(v);
  };
  const byField: Record<string, number[]> = {
    assigneeId: ids.staff,
    departmentId: ids.departments,
    teamId: ids.teams,
    categoryId: ids.categories,
    customerId: ids.customers,
  };
  for (const r of rows) {
    add(r.actor_type === "staff" ? ids.staff : ids.customers, r.actor_id);
    const list = r.field ? byField[r.field] : undefined;
    if (list) add(list, r.before, r.after);
    // A transfer, and a creation, name their placement as an object; a process step its holder in its data, a classification its category.
    for (const side of [r.before, r.after, r.type.startsWith("process_") || r.type === "category_classified" ? r.data : null])
      if (side && typeof side === "object")
        for (const [key, value] of Object.entries(side as Record<string, unknown>)) {
          const target = byField[key];
          if (target) add(target, value);
        }
  }
  return ids;
}

/** Names for everything the history refers to by id, so it reads in names (never ids) in any language. */
async function eventNamesFor(db: Executor, rows: EventRow[]): Promise<EventNames> {
  const ids = referencedIds(rows);
  const [people, directory] = await Promise.all([namesOf(db, ids.staff, ids.customers), directoryNames(db, ids)]);
  const asRecord = (m: Map<number, string>) => Object.fromEntries([...m].map(([id, name]) => [String(id), name]));
  return {
    staff: asRecord(people.staff),
    customers: asRecord(people.customers),
    departments: asRecord(directory.departments),
    teams: asRecord(directory.teams),
    categories: asRecord(directory.categories),
  };
}

/** The ticket's history with the names it refers to; customers see only the events meant for them. */
export async function listEvents(
  db: Executor,
  principal: Principal,
  ticketId: number,
): Promise<{ items: TicketEvent[]; names: EventNames }> {
  await loadVisibleTicket(db, principal, ticketId);
  let q = db.selectFrom("ticket_events").selectAll().where("ticket_id", "=", ticketId).orderBy("id").limit(5000);
  if (principal.kind === "customer") q = q.where("type", "in", [...CUSTOMER_VISIBLE_EVENTS]);
  const rows = await q.execute();
  const names = await eventNamesFor(db, rows);
  // Customers learn who acted, not how the desk is organised.
  if (principal.kind === "customer") Object.assign(names, { departments: {}, teams: {}, categories: {} });
  const items = rows.map((e) => ({
    id: e.id,
    ticketId: e.ticket_id,
    type: e.type,
    actorType: e.actor_type,
    actorId: e.actor_id,
    actorName: e.actor_id === null ? null : ((e.actor_type === "staff" ? names.staff : names.customers)[String(e.actor_id)] ?? null),
    field: e.field,
    // A customer sees a status change in their own words (挂起 reads as 处理中), and nothing else of the values.
    before: principal.kind === "customer" ? customerValue(e.field, e.before) : e.before,
    after: principal.kind === "customer" ? customerValue(e.field, e.after) : e.after,
    data: principal.kind === "customer" ? null : e.data,
    createdAt: e.created_at.toISOString(),
  }));
  return { items, names };
}
