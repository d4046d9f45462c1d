import type { Executor } from "../../../platform/jobs/job-queue";

/** "[#10023]" (what our mails' subjects carry), "工单 #10023" or "ticket #10023". */
const NUMBER_IN_SUBJECT = /\[#(\d{1,12})\]|(?:工单|ticket)\s*#?\s*(\d{4,12})/i;

export const ticketNumberInSubject = (subject: string) => {
  const m = NUMBER_IN_SUBJECT.exec(subject);
  const n = m ? Number(m[1] ?? m[2]) : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
};

/** The ticket an email replies to: by In-Reply-To/References (newest known first), else null. */
export async function ticketByMessageIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return null;
  const row = await db
    .selectFrom("email_threads")
    .select(["ticket_id", "mailbox_id"])
    .where("message_id", "in", ids.slice(0, 100))
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Remembers a Message-ID; false when it was known already (the same mail delivered again). */
export async function recordMessageId(
  db: Executor,
  row: { messageId: string; ticketId: number; mailboxId: number | null; direction: "in" | "out" },
) {
  const inserted = await db
    .insertInto("email_threads")
    .values({ message_id: row.messageId, ticket_id: row.ticketId, mailbox_id: row.mailboxId, direction: row.direction })
    .onConflict((oc) => oc.column("message_id").doNothing())
    .returning("message_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function messageIdKnown(db: Executor, messageId: string) {
  return (await db.selectFrom("email_threads").select("ticket_id").where("message_id", "=", messageId).executeTakeFirst()) !== undefined;
}

/** The thread so far, for a reply's In-Reply-To (newest inbound) and References (oldest first). */
export async function ticketThread(db: Executor, ticketId: number) {
  const rows = await db
    .selectFrom("email_threads")
    .select(["message_id", "mailbox_id", "direction"])
    .where("ticket_id", "=", ticketId)
    .orderBy("created_at", "desc")
    .limit(30)
    .execute();
  const lastInbound = rows.find((r) => r.direction === "in");
  return {
    inReplyTo: (lastInbound ?? rows[0])?.message_id ?? null,
    references: rows.map((r) => r.message_id).reverse(),
    mailboxId: rows.find((r) => r.mailbox_id !== null)?.mailbox_id ?? null,
  };
}
