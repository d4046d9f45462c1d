import type { ValueMap } from "@loopdesk/contracts/imports";
import type { AppContext } from "../../../platform/context";
import { htmlToText, sanitizeUserHtml } from "../../../platform/text/sanitize-html";
import { cleanFilename } from "../../tickets/attachment-service";
import { emitTicketEvent } from "../../tickets/emit-ticket-event";
import { reindexTickets } from "../../tickets/ticket-search-index";
import {
  type Contact,
  type ImportTarget,
  type Trx,
  type WriteCache,
  closingTimes,
  customerOf,
  importedHistory,
  importedIds,
  organizationId,
  prefetchCustomers,
  record,
} from "../write-imported";
import { KNOWN_CHANNELS, KNOWN_PRIORITIES, KNOWN_STATUSES } from "./foreign";
import type { ForeignOrganization, ForeignPerson, ForeignTicket } from "./foreign";

/** Who a source's person is here: a customer, or staff (null when their agent has no account here). */
export type Someone = { kind: "customer"; id: number; organizationId: number | null } | { kind: "staff"; id: number | null; name: string };

/** What the import remembers between batches: their ids to ours. */
export type ForeignMaps = {
  organizations: Map<string, number>;
  people: Map<string, Someone>;
  /** Their agent's email (lower case) → staff here, from the value map or a matching email. */
  staffByEmail: Map<string, number>;
  departments: Map<string, number>;
  valueMap: ValueMap;
};

/** A stored attachment's bytes, by the source's attachment id (stored before the transaction). */
export type StoredFiles = Map<string, { sha256: string; size: number; contentType: string; fileName: string }>;

export async function writeOrganizations(trx: Trx, job: ImportTarget, orgs: ForeignOrganization[], maps: ForeignMaps, cache: WriteCache) {
  const known = await importedIds(
    trx,
    job.source,
    "organizations",
    orgs.map((o) => o.externalId),
  );
  const made: { externalId: string; id: number }[] = [];
  for (const o of orgs) {
    const id = known.get(o.externalId) ?? (await organizationId(trx, cache, o.name, o.domain));
    if (id === null) continue;
    maps.organizations.set(o.externalId, id);
    if (!known.has(o.externalId)) made.push({ externalId: o.externalId, id });
  }
  await record(trx, job.source, "organizations", job.id, made);
  return made.length;
}

const contactOf = (p: ForeignPerson): Contact | null =>
  p.email || p.phone ? { email: p.email ?? undefined, phone: p.phone ?? undefined, name: p.name || undefined } : null;

/** Their end users become customers (found by email or phone, else created); their agents are matched to staff. */
export async function writePeople(trx: Trx, job: ImportTarget, people: ForeignPerson[], maps: ForeignMaps, cache: WriteCache) {
  for (const p of people)
    if (p.role === "staff")
      maps.people.set(p.externalId, { kind: "staff", id: (p.email && maps.staffByEmail.get(p.email.toLowerCase())) || null, name: p.name });
  const customers = people.filter((p) => p.role === "customer");
  const known = await importedIds(
    trx,
    job.source,
    "customers",
    customers.map((p) => p.externalId),
  );
  const fresh = customers.filter((p) => !known.has(p.externalId));
  for (const p of customers.filter((c) => known.has(c.externalId)))
    maps.people.set(p.externalId, { kind: "customer", id: known.get(p.externalId) as number, organizationId: null });
  await prefetchCustomers(
    trx,
    cache,
    fresh.map(contactOf).filter((c) => c !== null),
  );
  const made: { externalId: string; id: number }[] = [];
  for (const p of fresh) {
    const contact = contactOf(p);
    // Someone known only by name (a chat visitor, a caller) is still the requester of their tickets.
    const c = contact
      ? await customerOf(trx, cache, contact, null)
      : {
          id: (
            await trx
              .insertInto("customers")
              .values({ name: p.name.slice(0, 200) || "?", custom_fields: "{}" })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id,
          organizationId: null as number | null,
        };
    const orgId = p.organizationId ? (maps.organizations.get(p.organizationId) ?? null) : null;
    if (orgId && c.organizationId === null) {
      await trx.updateTable("customers").set({ organization_id: orgId }).where("id", "=", c.id).execute();
      c.organizationId = orgId;
    }
    maps.people.set(p.externalId, { kind: "customer", id: c.id, organizationId: c.organizationId });
    made.push({ externalId: p.externalId, id: c.id });
  }
  await record(trx, job.source, "customers", job.id, made);
  return made.length;
}

/** Their word mapped to ours: the import's value map first, then the words the source documents. */
function mapped(maps: ForeignMaps, field: "status" | "priority" | "channel", theirs: string | null, fallback: string) {
  if (theirs === null || theirs === "") return fallback;
  const chosen = maps.valueMap[field]?.[theirs];
  if (typeof chosen === "string") return chosen;
  const known = field === "status" ? KNOWN_STATUSES : field === "priority" ? KNOWN_PRIORITIES : KNOWN_CHANNELS;
  return known[theirs] ?? known[theirs.toLowerCase()] ?? fallback;
}

function assigneeOf(maps: ForeignMaps, t: ForeignTicket): number | null {
  if (!t.assigneeId) return null;
  const someone = maps.people.get(t.assigneeId);
  return someone?.kind === "staff" ? someone.id : null;
}

function departmentOf(maps: ForeignMaps, t: ForeignTicket): number | null {
  if (!t.group) return null;
  const chosen = maps.valueMap.department?.[t.group];
  if (chosen !== undefined) return typeof chosen === "number" ? chosen : null;
  return maps.departments.get(t.group) ?? null;
}

type MessageRow = {
  ticket_id: number;
  visibility: "public" | "internal";
  author_type: "staff" | "customer" | "system";
  author_staff_id: number | null;
  author_customer_id: number | null;
  author_name: string | null;
  body_text: string;
  body_html: string | null;
  channel: string;
  external_id: string;
  created_at: Date;
};

const bodyOf = (c: { text: string; html: string | null }) => {
  const html = c.html?.trim() ? sanitizeUserHtml(c.html) : null;
  const text = c.text.trim() ? c.text : html ? htmlToText(html) : "";
  return { text: text.slice(0, 100_000), html };
};

/**
 * Writes a page of their tickets in the caller's transaction: each ticket with its requester, its
 * conversation (the first comment is the request; public comments are replies or customer
 * messages, private ones internal notes), attachments already stored, and a history marked as
 * imported. As with spreadsheets, nothing fires (no routing, SLA, triggers, notifications or
 * webhooks) unless the import asks for open tickets to be treated as new.
 */
export async function writeForeignTickets(
  ctx: AppContext,
  trx: Trx,
  job: ImportTarget,
  tickets: ForeignTicket[],
  maps: ForeignMaps,
  files: StoredFiles,
): Promise<number> {
  if (!tickets.length) return 0;
  const now = new Date();
  const autoCloseMs = ctx.config.autoCloseDays * 86_400_000;
  const planned = tickets.map((t) => {
    const requester = t.requesterId ? maps.people.get(t.requesterId) : undefined;
    const customer = requester?.kind === "customer" ? requester : null;
    const status = mapped(maps, "status", t.status, t.state === "closed" ? "closed" : "open");
    const times = closingTimes(
      status,
      t.createdAt,
      t.solvedAt ?? (["solved", "closed"].includes(status) ? t.updatedAt : null),
      t.closedAt,
      now,
      autoCloseMs,
    );
    const author = (authorId: string | null) => (authorId ? maps.people.get(authorId) : undefined);
    const [first, ...rest] = t.comments;
    const staffPublic = rest.filter((c) => c.public && author(c.authorId)?.kind === "staff");
    const customerSide = t.comments.filter((c) => author(c.authorId)?.kind === "customer");
    const firstBody = first ? bodyOf(first) : { text: "", html: null };
    return {
      t,
      customer,
      status: times.status,
      solvedAt: times.solvedAt,
      closedAt: times.closedAt,
      assigneeId: assigneeOf(maps, t),
      departmentId: departmentOf(maps, t),
      channel: mapped(maps, "channel", t.channel, "api"),
      priority: mapped(maps, "priority", t.priority, "normal"),
      first,
      firstBody,
      rest,
      firstResponse: staffPublic[0]?.createdAt ?? null,
      lastStaff: staffPublic.at(-1)?.createdAt ?? null,
      lastCustomer: customerSide.at(-1)?.createdAt ?? t.createdAt,
    };
  });
  // A ticket needs a customer here: one whose requester has no email or phone is reported, not guessed.
  const writable = planned.filter((p) => p.customer);
  const inserted = writable.length
    ? await trx
        .insertInto("tickets")
        .values(
          writable.map((p) => ({
            subject: p.t.subject.slice(0, 500) || `#${p.t.number}`,
            description: p.firstBody.text,
            description_html: p.firstBody.html,
            status: p.status,
            priority: p.priority,
            channel: p.channel,
            customer_id: p.customer?.id as number,
            organization_id:
              (p.t.organizationId ? maps.organizations.get(p.t.organizationId) : undefined) ?? p.customer?.organizationId ?? null,
            department_id: p.departmentId,
            assignee_id: p.assigneeId,
            tags: p.t.tags.slice(0, 50).map((x) => x.slice(0, 100)),
            custom_fields: "{}",
            solved_at: p.solvedAt,
            closed_at: p.closedAt,
            first_response_at: p.firstResponse,
            last_staff_reply_at: p.lastStaff,
            last_customer_message_at: p.lastCustomer,
            status_changed_at: p.closedAt ?? p.solvedAt ?? p.t.updatedAt,
            routing_status: p.assigneeId ? ("manual" as const) : null,
            created_at: p.t.createdAt,
            updated_at: new Date(Math.max(p.t.updatedAt.getTime(), p.t.createdAt.getTime())),
          })),
        )
        .returningAll()
        .execute()
    : [];
  const history = (p: (typeof planned)[number]) => ({ imported: { source: job.source, importId: job.id, number: p.t.number } });
  const events = importedHistory();
  const ev = events.add;
  const messages: MessageRow[] = [];
  const messageFiles: string[][] = [];
  const attachmentRows: { ticketId: number; index: number | null; ids: string[] }[] = [];
  inserted.forEach((ticket, i) => {
    const p = writable[i];
    const data = history(p);
    const customerActor = { type: "customer", id: p.customer?.id ?? null };
    ev(
      ticket.id,
      p.t.createdAt,
      "created",
      {
        after: { status: "new", priority: p.priority, channel: p.channel, categoryId: null, departmentId: p.departmentId },
        data: { complete: true, ...data },
      },
      customerActor,
    );
    if (p.assigneeId)
      ev(ticket.id, p.t.createdAt, "assigned", { field: "assigneeId", after: p.assigneeId, data }, { type: "system", id: null });
    if (p.first?.attachments.length)
      attachmentRows.push({ ticketId: ticket.id, index: null, ids: p.first.attachments.map((a) => a.externalId) });
    for (const c of p.rest) {
      const who = c.authorId ? maps.people.get(c.authorId) : undefined;
      const body = bodyOf(c);
      const visibility = c.public ? ("public" as const) : ("internal" as const);
      messages.push({
        ticket_id: ticket.id,
        visibility,
        author_type: who?.kind ?? "system",
        author_staff_id: who?.kind === "staff" ? who.id : null,
        author_customer_id: who?.kind === "customer" ? who.id : null,
        author_name: who?.kind === "staff" && who.id === null ? who.name : who ? null : c.authorName,
        body_text: body.text || "—",
        body_html: body.html,
        channel: p.channel,
        external_id: `${job.source}:${c.externalId}`,
        created_at: c.createdAt,
      });
      messageFiles.push(c.attachments.map((a) => a.externalId));
      const actor =
        who?.kind === "staff" ? { type: "staff", id: who.id } : who ? { type: "customer", id: who.id } : { type: "system", id: null };
      ev(ticket.id, c.createdAt, "message_added", { data: { visibility, ...data } }, actor);
      if (p.firstResponse && c.createdAt === p.firstResponse && c.public && who?.kind === "staff")
        ev(ticket.id, c.createdAt, "first_response", { data }, actor);
    }
    const staffActor = p.assigneeId ? { type: "staff", id: p.assigneeId } : { type: "system", id: null };
    const status = (from: string, to: string, at: Date) =>
      ev(ticket.id, at, "status_changed", { field: "status", before: from, after: to, data }, staffActor);
    if (p.solvedAt) status("new", "solved", p.solvedAt);
    if (p.closedAt) status("solved", "closed", p.closedAt);
    if (!p.solvedAt && p.status !== "new") status("new", p.status, p.t.createdAt);
  });
  // Messages in the conversation's order (the timeline reads them by id).
  const messageIds: number[] = [];
  for (let i = 0; i < messages.length; i += 500) {
    const rows = await trx
      .insertInto("ticket_messages")
      .values(messages.slice(i, i + 500))
      .returning("id")
      .execute();
    messageIds.push(...rows.map((r) => r.id));
  }
  messageFiles.forEach((ids, i) => {
    if (ids.length) attachmentRows.push({ ticketId: messages[i].ticket_id, index: messageIds[i], ids });
  });
  const attachments = attachmentRows.flatMap((a) =>
    a.ids
      .map((id) => files.get(id))
      .filter((f) => f !== undefined)
      .map((f) => ({
        sha256: f.sha256,
        size: f.size,
        content_type: f.contentType,
        filename: cleanFilename(f.fileName),
        ticket_id: a.ticketId,
        message_id: a.index,
        uploader_type: "system" as const,
        uploader_id: null,
      })),
  );
  for (let i = 0; i < attachments.length; i += 1000)
    await trx
      .insertInto("attachments")
      .values(attachments.slice(i, i + 1000))
      .execute();
  await events.write(trx);
  await reindexTickets(
    trx,
    inserted.map((t) => t.id),
  );
  await record(
    trx,
    job.source,
    "tickets",
    job.id,
    inserted.map((t, i) => ({ externalId: writable[i].t.externalId, id: t.id })),
  );
  if (job.runAutomations)
    for (const t of inserted)
      if (!["solved", "closed"].includes(t.status)) await emitTicketEvent(ctx, trx, "ticket.created", t, { byKind: "system", byId: null });
  return inserted.length;
}
