import type { ImportEntity } from "@loopdesk/contracts/imports";
import { type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { emitTicketEvent } from "../tickets/emit-ticket-event";
import { reindexTickets } from "../tickets/ticket-search-index";
import type { PreparedRow } from "./prepare-rows";

export type ImportSource = "spreadsheet" | "zendesk" | "osticket";
/** The import a batch belongs to. */
export type ImportTarget = { id: number; source: ImportSource; entity: ImportEntity; runAutomations: boolean };
export type Trx = Transaction<DB>;
import { type Contact, type WriteCache, customerOf, organizationId, prefetchCustomers } from "./imported-contacts";

// The importers' one entry point for writing (the contact resolution lives in imported-contacts.ts).
export { type Contact, type WriteCache, customerOf, newWriteCache, organizationId, prefetchCustomers } from "./imported-contacts";

/** Their ids already brought in by an earlier import, with the local ids they became. */
export async function importedIds(db: Trx | AppContext["db"], source: string, entity: string, externalIds: string[]) {
  const out = new Map<string, number>();
  for (let i = 0; i < externalIds.length; i += 5000) {
    const rows = await db
      .selectFrom("import_records")
      .select(["external_id", "local_id"])
      .where("source", "=", source)
      .where("entity", "=", entity)
      .where("external_id", "in", externalIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.set(r.external_id, r.local_id);
  }
  return out;
}

/** External ids of these rows that an earlier import already brought in. */
export async function alreadyImported(db: Trx | AppContext["db"], source: ImportSource, entity: ImportEntity, externalIds: string[]) {
  return new Set((await importedIds(db, source, entity, externalIds)).keys());
}

/**
 * The history rows of imported tickets, collected while a batch is planned and written in one
 * statement: each with its own time and actor (the old system's, or the system's).
 */
export function importedHistory() {
  const events: Record<string, unknown>[] = [];
  return {
    add: (
      ticketId: number,
      at: Date,
      type: string,
      extra: Record<string, unknown> = {},
      actor = { type: "system", id: null as number | null },
    ) =>
      events.push({
        ticket_id: ticketId,
        type,
        actor_type: actor.type,
        actor_id: actor.id,
        field: null,
        before: null,
        after: null,
        data: null,
        created_at: at.toISOString(),
        ...extra,
      }),
    write: async (trx: Trx) => {
      if (!events.length) return;
      await sql`insert into ticket_events (ticket_id, type, actor_type, actor_id, field, before, after, data, created_at)
        select ticket_id, type, actor_type, actor_id, field, before, after, data, created_at
        from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as e(ticket_id int, type text, actor_type text, actor_id int,
          field text, before jsonb, after jsonb, data jsonb, created_at timestamptz)`.execute(trx);
    },
  };
}

export async function record(
  trx: Trx,
  source: ImportSource,
  entity: ImportEntity,
  jobId: number,
  pairs: { externalId: string; id: number }[],
) {
  if (!pairs.length) return;
  await trx
    .insertInto("import_records")
    .values(pairs.map((p) => ({ source, entity, external_id: p.externalId, local_id: p.id, job_id: jobId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Writes one batch of checked rows in the caller's transaction (the batch commits whole). Imported
 * tickets are history: written with their own times and a history that says so, with no domain
 * events — routing, SLA clocks, triggers, notifications and webhooks stay quiet — unless the
 * import asks for open tickets to be treated as new. Their facts reach the reports through the
 * usual analytics refresh (the history insert marks them).
 */
export async function writeRows(ctx: AppContext, trx: Trx, job: ImportTarget, rows: PreparedRow[], cache: WriteCache): Promise<number[]> {
  if (!rows.length) return [];
  const ids = await writeRecords(ctx, trx, job, rows, cache);
  // Rows and the records they made, in order: a later import of the same rows skips them.
  await record(
    trx,
    job.source,
    job.entity,
    job.id,
    rows.map((r, i) => ({ externalId: r.externalId, id: ids[i] })),
  );
  return ids;
}

async function writeRecords(ctx: AppContext, trx: Trx, job: ImportTarget, rows: PreparedRow[], cache: WriteCache): Promise<number[]> {
  if (job.entity === "organizations") {
    const ids: number[] = [];
    for (const r of rows) ids.push((await organizationId(trx, cache, r.values.name as string, r.values.domain as string | null)) as number);
    return ids;
  }
  if (job.entity === "customers") {
    await prefetchCustomers(
      trx,
      cache,
      rows.map((r) => r.values.customer as Contact),
    );
    const ids: number[] = [];
    for (const r of rows) {
      const c = await customerOf(trx, cache, r.values.customer as Contact, r.values.organization as string | null);
      const name = (r.values.customer as Contact).name;
      await trx
        .updateTable("customers")
        .set({
          ...(name ? { name } : {}),
          tier: r.values.tier as "normal",
          custom_fields: sql`custom_fields || ${JSON.stringify(r.values.customFields)}::jsonb`,
        })
        .where("id", "=", c.id)
        .execute();
      ids.push(c.id);
    }
    return ids;
  }
  return writeTickets(ctx, trx, job, rows, cache);
}

/**
 * When an imported ticket was solved and closed. A ticket solved longer ago than the auto-close
 * period is imported closed, as Loopdesk would have closed it then (not closed now by the
 * automation, with today's date in its history).
 */
export function closingTimes(
  status: string,
  created: Date,
  solved: Date | undefined | null,
  closed: Date | undefined | null,
  now: Date,
  autoCloseMs: number,
) {
  const done = status === "solved" || status === "closed";
  const solvedAt = done ? (solved ?? closed ?? created) : null;
  const autoClosed = status === "solved" && solvedAt !== null && solvedAt.getTime() + autoCloseMs < now.getTime();
  const closedAt =
    status === "closed" ? (closed ?? solvedAt ?? created) : autoClosed && solvedAt ? new Date(solvedAt.getTime() + autoCloseMs) : null;
  return { status: autoClosed ? "closed" : status, solvedAt, closedAt };
}

type TicketValues = {
  subject: string;
  description: string;
  reply: string;
  status: string;
  priority: string;
  channel: string;
  categoryId: number | null;
  departmentId: number | null;
  assigneeId: number | null;
  tags: string[];
  customFields: Record<string, unknown>;
  customer: Contact;
  organization: string | null;
  createdAt?: Date;
  solvedAt?: Date;
  closedAt?: Date;
};
type Planned = {
  r: PreparedRow;
  v: TicketValues;
  customer: { id: number; organizationId: number | null };
  created: Date;
  solvedAt: Date | null;
  closedAt: Date | null;
  replyAt: Date | null;
  last: Date;
};

async function writeTickets(ctx: AppContext, trx: Trx, job: ImportTarget, rows: PreparedRow[], cache: WriteCache) {
  const now = new Date();
  const autoCloseMs = ctx.config.autoCloseDays * 86_400_000;
  const categoryDepartments = new Map(
    (await trx.selectFrom("categories").select(["id", "department_id"]).execute()).map((c) => [c.id, c.department_id]),
  );
  await prefetchCustomers(
    trx,
    cache,
    rows.map((r) => (r.values as TicketValues).customer),
  );
  const planned: Planned[] = [];
  for (const r of rows) {
    const v = r.values as TicketValues;
    const customer = await customerOf(trx, cache, v.customer, v.organization);
    const created = v.createdAt ?? now;
    const { status, solvedAt, closedAt } = closingTimes(v.status, created, v.solvedAt, v.closedAt, now, autoCloseMs);
    v.status = status;
    const replyAt = v.reply ? (solvedAt ?? created) : null;
    const last = Math.max(created.getTime(), solvedAt?.getTime() ?? 0, closedAt?.getTime() ?? 0);
    planned.push({ r, v, customer, created, solvedAt, closedAt, replyAt, last: new Date(last) });
  }
  const inserted = await trx
    .insertInto("tickets")
    .values(
      planned.map(({ v, customer, created, solvedAt, closedAt, replyAt, last }) => ({
        subject: v.subject,
        description: v.description,
        status: v.status,
        priority: v.priority,
        channel: v.channel,
        category_id: v.categoryId,
        customer_id: customer.id,
        organization_id: customer.organizationId,
        department_id: v.departmentId ?? (v.categoryId ? (categoryDepartments.get(v.categoryId) ?? null) : null),
        assignee_id: v.assigneeId,
        tags: v.tags,
        custom_fields: JSON.stringify(v.customFields),
        solved_at: solvedAt,
        closed_at: closedAt,
        first_response_at: replyAt,
        last_staff_reply_at: replyAt,
        last_customer_message_at: created,
        status_changed_at: closedAt ?? solvedAt ?? created,
        // Assigned by people in the old system, not by routing here.
        routing_status: v.assigneeId ? ("manual" as const) : null,
        created_at: created,
        updated_at: last,
      })),
    )
    .returningAll()
    .execute();
  const history = { imported: { source: job.source, importId: job.id } };
  const events = importedHistory();
  const ev = events.add;
  const messages: Record<string, unknown>[] = [];
  inserted.forEach((t, i) => {
    const { v, created, solvedAt, closedAt, replyAt } = planned[i];
    ev(t.id, created, "created", {
      after: { status: "new", priority: v.priority, channel: v.channel, categoryId: t.category_id, departmentId: t.department_id },
      data: { complete: true, ...history },
    });
    if (v.assigneeId) ev(t.id, created, "assigned", { field: "assigneeId", after: v.assigneeId, data: history });
    const staffActor = v.assigneeId ? { type: "staff", id: v.assigneeId } : undefined;
    if (replyAt && v.reply) {
      messages.push({
        ticket_id: t.id,
        visibility: "public",
        author_type: staffActor ? "staff" : "system",
        author_staff_id: staffActor?.id ?? null,
        body_text: v.reply,
        channel: v.channel,
        created_at: replyAt.toISOString(),
      });
      ev(t.id, replyAt, "message_added", { data: { visibility: "public", ...history } }, staffActor);
      ev(t.id, replyAt, "first_response", { data: history }, staffActor);
    }
    const status = (from: string, to: string, at: Date) =>
      ev(t.id, at, "status_changed", { field: "status", before: from, after: to, data: history }, staffActor);
    if (solvedAt) status("new", "solved", solvedAt);
    if (closedAt) status("solved", "closed", closedAt);
    if (!solvedAt && v.status !== "new") status("new", v.status, created);
  });
  if (messages.length)
    await sql`insert into ticket_messages (ticket_id, visibility, author_type, author_staff_id, body_text, channel, created_at)
      select ticket_id, visibility, author_type, author_staff_id, body_text, channel, created_at
      from jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) as m(ticket_id int, visibility text, author_type text,
        author_staff_id int, body_text text, channel text, created_at timestamptz)`.execute(trx);
  await events.write(trx);
  await reindexTickets(
    trx,
    inserted.map((t) => t.id),
  );
  if (job.runAutomations)
    for (const t of inserted)
      if (!["solved", "closed"].includes(t.status)) await emitTicketEvent(ctx, trx, "ticket.created", t, { byKind: "system", byId: null });
  return inserted.map((t) => t.id);
}
