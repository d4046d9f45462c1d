import type { InboundEmail } from "@loopdesk/contracts/intake";
import { NotFoundError } from "../../platform/errors";
import type { FileStore } from "../../platform/files/file-store";
import type { Executor } from "../../platform/jobs/job-queue";

/** The inbound mail log, newest first: what became of every message (admins see loops and floods here). */
export async function listInboundEmails(
  db: Executor,
  q: { outcome?: InboundEmail["outcome"]; mailboxId?: number; limit: number; before?: number },
): Promise<InboundEmail[]> {
  let query = db
    .selectFrom("inbound_emails as m")
    .leftJoin("tickets as t", "t.id", "m.ticket_id")
    .select([
      "m.id",
      "m.mailbox_id",
      "m.source",
      "m.message_id",
      "m.from_address",
      "m.subject",
      "m.size",
      "m.outcome",
      "m.reason",
      "m.ticket_id",
      "t.number",
      "m.raw_sha256",
      "m.received_at",
    ])
    .orderBy("m.id", "desc")
    .limit(q.limit);
  if (q.outcome) query = query.where("m.outcome", "=", q.outcome);
  if (q.mailboxId) query = query.where("m.mailbox_id", "=", q.mailboxId);
  if (q.before) query = query.where("m.id", "<", String(q.before));
  return (await query.execute()).map((r) => ({
    id: Number(r.id),
    mailboxId: r.mailbox_id,
    source: r.source,
    messageId: r.message_id,
    fromAddress: r.from_address,
    subject: r.subject,
    size: r.size,
    outcome: r.outcome,
    reason: r.reason,
    ticketId: r.ticket_id,
    ticketNumber: r.number === null ? null : Number(r.number),
    hasRaw: r.raw_sha256 !== null,
    receivedAt: r.received_at.toISOString(),
  }));
}

/** The raw message of a logged mail that did not reach a ticket, as an inert download. */
export async function openInboundRaw(db: Executor, files: FileStore, id: number) {
  const row = await db.selectFrom("inbound_emails").select(["raw_sha256"]).where("id", "=", String(id)).executeTakeFirst();
  if (!row?.raw_sha256 || !files.exists(row.raw_sha256)) throw NotFoundError("Message");
  return {
    stream: files.open(row.raw_sha256),
    headers: { "content-type": "application/octet-stream", "content-disposition": `attachment; filename="inbound-${id}.eml"` },
  };
}
