import { buffer } from "node:stream/consumers";
import { zipSync } from "fflate";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { FileStore } from "../../platform/files/file-store";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const json = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);
/** A name safe in any zip reader: no folders, no control characters. */
const safeName = (name: string) =>
  [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? "_" : c))
    .join("")
    .slice(0, 120) || "file";

const README = `个人信息副本 / Copy of personal information

本压缩包是我们保存的与您有关的全部个人信息（依据《个人信息保护法》第四十五条），为机器可读的 JSON 格式：
This archive holds everything we keep about you, machine-readable (JSON):

  customer.json    资料与联系方式 / profile and contact identities
  tickets.json     工单、每条消息（含内部备注）、状态与时间 / tickets with every message (internal notes included), statuses, times
  ratings.json     满意度评价 / satisfaction ratings
  visits.json      回访 / follow-up visits
  calls.json       通话记录 / calls
  chats.json       即时通讯消息来源 / instant-messaging senders
  emails.json      收到的邮件记录 / inbound mail log
  sign-ins.json    登录会话 / sign-in sessions
  attachments/     附件原文件，按工单编号分目录 / attachments by ticket number
`;

/**
 * A machine-readable copy of everything held about a customer (and customers merged into them):
 * a zip of JSON files and the attachment files. Answers the zip's bytes.
 */
export async function exportCustomer(db: Kysely<DB>, files: FileStore, customerId: number): Promise<Uint8Array> {
  const people = await db
    .selectFrom("customers")
    .leftJoin("organizations", "organizations.id", "customers.organization_id")
    .select([
      "customers.id",
      "customers.name",
      "customers.tier",
      "customers.locale",
      "customers.custom_fields",
      "customers.created_at",
      "organizations.name as organization",
    ])
    .where((eb) => eb.or([eb("customers.id", "=", customerId), eb("customers.merged_into_id", "=", customerId)]))
    .execute();
  const ids = people.map((p) => p.id);
  const identities = await db
    .selectFrom("customer_identities")
    .select(["customer_id", "kind", "value", "verified", "created_at"])
    .where("customer_id", "in", ids)
    .execute();
  const tickets = await db
    .selectFrom("tickets")
    .leftJoin("categories", "categories.id", "tickets.category_id")
    .leftJoin("departments", "departments.id", "tickets.department_id")
    .select([
      "tickets.id",
      "tickets.number",
      "tickets.subject",
      "tickets.description",
      "tickets.status",
      "tickets.priority",
      "tickets.channel",
      "tickets.tags",
      "tickets.custom_fields",
      "tickets.created_at",
      "tickets.solved_at",
      "tickets.closed_at",
      "categories.name as category",
      "departments.name as department",
    ])
    .where("tickets.customer_id", "in", ids)
    .orderBy("tickets.id")
    .execute();
  const ticketIds = tickets.map((t) => t.id);
  const some = ticketIds.length > 0;
  const messages = some
    ? await db
        .selectFrom("ticket_messages")
        .leftJoin("staff", "staff.id", "ticket_messages.author_staff_id")
        .select([
          "ticket_messages.ticket_id",
          "ticket_messages.visibility",
          "ticket_messages.author_type",
          "staff.name as staff",
          "ticket_messages.body_text",
          "ticket_messages.channel",
          "ticket_messages.created_at",
        ])
        .where("ticket_messages.ticket_id", "in", ticketIds)
        .orderBy("ticket_messages.id")
        .execute()
    : [];
  const attachments = some
    ? await db
        .selectFrom("attachments")
        .select(["id", "ticket_id", "sha256", "filename", "content_type", "size", "created_at"])
        .where("ticket_id", "in", ticketIds)
        .execute()
    : [];
  const number = new Map(tickets.map((t) => [t.id, Number(t.number)]));
  const byTicket = <T extends { ticket_id: number | null }>(rows: T[], id: number) => rows.filter((r) => r.ticket_id === id);

  const entries: Record<string, Uint8Array> = { "README.txt": new TextEncoder().encode(README) };
  entries["customer.json"] = json(
    people.map((p) => ({
      id: p.id,
      name: p.name,
      tier: p.tier,
      locale: p.locale,
      organization: p.organization,
      customFields: p.custom_fields,
      createdAt: iso(p.created_at),
      identities: identities
        .filter((i) => i.customer_id === p.id)
        .map((i) => ({ kind: i.kind, value: i.value, verified: i.verified, addedAt: iso(i.created_at) })),
    })),
  );
  entries["tickets.json"] = json(
    tickets.map((t) => ({
      number: Number(t.number),
      subject: t.subject,
      description: t.description,
      status: t.status,
      priority: t.priority,
      channel: t.channel,
      category: t.category,
      department: t.department,
      tags: t.tags,
      customFields: t.custom_fields,
      createdAt: iso(t.created_at),
      solvedAt: iso(t.solved_at),
      closedAt: iso(t.closed_at),
      messages: byTicket(messages, t.id).map((m) => ({
        at: iso(m.created_at),
        from: m.author_type === "staff" ? (m.staff ?? "staff") : m.author_type,
        visibility: m.visibility,
        channel: m.channel,
        text: m.body_text,
      })),
      attachments: byTicket(attachments, t.id).map((a) => ({
        file: `attachments/${t.number}/${a.id}-${safeName(a.filename)}`,
        name: a.filename,
        type: a.content_type,
        size: a.size,
        at: iso(a.created_at),
      })),
    })),
  );
  const ticketNumber = (id: number | null) => (id === null ? null : (number.get(id) ?? null));
  entries["ratings.json"] = json(
    some
      ? (
          await db
            .selectFrom("csat_surveys")
            .select(["ticket_id", "rating", "comment", "sent_at", "answered_at", "answered_via"])
            .where("ticket_id", "in", ticketIds)
            .execute()
        ).map((r) => ({
          ticket: ticketNumber(r.ticket_id),
          rating: r.rating,
          comment: r.comment,
          sentAt: iso(r.sent_at),
          answeredAt: iso(r.answered_at),
          via: r.answered_via,
        }))
      : [],
  );
  entries["visits.json"] = json(
    some
      ? (
          await db
            .selectFrom("follow_up_visits")
            .select(["ticket_id", "reason", "due_at", "status", "result", "outcome", "completed_at"])
            .where("ticket_id", "in", ticketIds)
            .execute()
        ).map((v) => ({
          ticket: ticketNumber(v.ticket_id),
          reason: v.reason,
          due: iso(v.due_at),
          status: v.status,
          result: v.result,
          outcome: v.outcome,
          completedAt: iso(v.completed_at),
        }))
      : [],
  );
  entries["calls.json"] = json(
    (
      await db
        .selectFrom("calls")
        .select(["ticket_id", "direction", "caller_number", "called_number", "started_at", "answered_at", "ended_at", "recording_url"])
        .where("customer_id", "in", ids)
        .execute()
    ).map((c) => ({
      ticket: ticketNumber(c.ticket_id),
      direction: c.direction,
      from: c.caller_number,
      to: c.called_number,
      startedAt: iso(c.started_at),
      answeredAt: iso(c.answered_at),
      endedAt: iso(c.ended_at),
      recording: c.recording_url,
    })),
  );
  entries["chats.json"] = json(
    some
      ? (
          await db
            .selectFrom("im_messages")
            .innerJoin("im_channels", "im_channels.id", "im_messages.channel_id")
            .select(["im_messages.ticket_id", "im_channels.kind", "im_messages.sender_id", "im_messages.received_at"])
            .where("im_messages.ticket_id", "in", ticketIds)
            .execute()
        ).map((m) => ({ ticket: ticketNumber(m.ticket_id), platform: m.kind, sender: m.sender_id, receivedAt: iso(m.received_at) }))
      : [],
  );
  entries["emails.json"] = json(
    some
      ? (
          await db
            .selectFrom("inbound_emails")
            .select(["ticket_id", "from_address", "subject", "received_at", "outcome"])
            .where("ticket_id", "in", ticketIds)
            .execute()
        ).map((e) => ({
          ticket: ticketNumber(e.ticket_id),
          from: e.from_address,
          subject: e.subject,
          receivedAt: iso(e.received_at),
          outcome: e.outcome,
        }))
      : [],
  );
  entries["sign-ins.json"] = json(
    (
      await db
        .selectFrom("sessions")
        .select(["user_agent", "ip", "created_at", "last_seen_at"])
        .where("principal_type", "=", "customer")
        .where("principal_id", "in", ids)
        .execute()
    ).map((s) => ({ device: s.user_agent, address: s.ip, startedAt: iso(s.created_at), lastUsedAt: iso(s.last_seen_at) })),
  );
  for (const a of attachments) {
    if (!files.exists(a.sha256)) continue;
    entries[`attachments/${ticketNumber(a.ticket_id)}/${a.id}-${safeName(a.filename)}`] = await buffer(files.open(a.sha256));
  }
  return zipSync(entries, { level: 6 });
}
