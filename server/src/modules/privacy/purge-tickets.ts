import { type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import { reindexTickets } from "../tickets/ticket-search-index";
import { ERASED_TEXT, type Needles } from "./needles";
import { allowRedaction } from "./scrub";

export type Tally = Record<string, number>;

const count = (tally: Tally, table: string, n: bigint | number | undefined) => {
  const v = Number(n ?? 0);
  if (v > 0) tally[table] = (tally[table] ?? 0) + v;
};

/**
 * What the tickets' content held that a search should find afterwards: the customer's words,
 * the numbers they called from, their chat ids and mail addresses, their files' names.
 */
export async function collectTicketNeedles(trx: Transaction<DB>, ticketIds: number[], needles: Needles) {
  if (ticketIds.length === 0) return;
  for (const t of await trx
    .selectFrom("tickets")
    .select(["subject", "description", "custom_fields"])
    .where("id", "in", ticketIds)
    .execute()) {
    needles.addText(t.subject);
    needles.addText(t.description);
    needles.addValues(t.custom_fields);
  }
  const messages = await trx
    .selectFrom("ticket_messages")
    .select("body_text")
    .where("ticket_id", "in", ticketIds)
    .where("author_type", "=", "customer")
    .execute();
  for (const m of messages) needles.addText(m.body_text);
  for (const a of await trx.selectFrom("attachments").select("filename").where("ticket_id", "in", ticketIds).execute())
    needles.add("file", a.filename);
  for (const c of await trx.selectFrom("calls").select("caller_number").where("ticket_id", "in", ticketIds).execute())
    needles.addPhone(c.caller_number);
  for (const m of await trx.selectFrom("im_messages").select("sender_id").where("ticket_id", "in", ticketIds).execute())
    needles.add("identity", m.sender_id);
  for (const e of await trx
    .selectFrom("inbound_emails")
    .select(["from_address", "subject"])
    .where("ticket_id", "in", ticketIds)
    .execute()) {
    needles.add("email", e.from_address);
    needles.addText(e.subject);
  }
  for (const s of await trx.selectFrom("csat_surveys").select("comment").where("ticket_id", "in", ticketIds).execute())
    needles.addText(s.comment);
}

/**
 * Removes the content of tickets and keeps their statistics: subject and text become the erased
 * marker, custom fields empty, messages emptied (their rows stay, so counts hold), files and raw
 * mails removed, call numbers, chat ids, rating comments and visit outcomes cleared, and the search
 * index rebuilt from what is left. Answers the file-store entries that may now be unused.
 */
export async function purgeTickets(trx: Transaction<DB>, ticketIds: number[], tally: Tally): Promise<string[]> {
  if (ticketIds.length === 0) return [];
  const ids = [...new Set(ticketIds)];
  const now = new Date();
  const files: string[] = [];
  const tickets = await trx
    .updateTable("tickets")
    .set({
      subject: ERASED_TEXT,
      description: "",
      description_html: null,
      custom_fields: "{}",
      purged_at: now,
      version: sql`version + 1`,
    })
    .where("id", "in", ids)
    .executeTakeFirst();
  count(tally, "tickets", tickets.numUpdatedRows);
  const messages = await trx
    .updateTable("ticket_messages")
    .set({ body_text: ERASED_TEXT, body_html: null, external_id: null })
    .where("ticket_id", "in", ids)
    .executeTakeFirst();
  count(tally, "ticket_messages", messages.numUpdatedRows);
  const attachments = await trx.deleteFrom("attachments").where("ticket_id", "in", ids).returning("sha256").execute();
  count(tally, "attachments", attachments.length);
  files.push(...attachments.map((a) => a.sha256));
  const mails = await trx.selectFrom("inbound_emails").select(["id", "raw_sha256"]).where("ticket_id", "in", ids).execute();
  if (mails.length) {
    await trx
      .updateTable("inbound_emails")
      .set({ from_address: null, subject: null, message_id: null, reason: null, raw_sha256: null })
      .where(
        "id",
        "in",
        mails.map((m) => m.id),
      )
      .execute();
    count(tally, "inbound_emails", mails.length);
    files.push(...mails.flatMap((m) => (m.raw_sha256 ? [m.raw_sha256] : [])));
  }
  count(tally, "email_threads", (await trx.deleteFrom("email_threads").where("ticket_id", "in", ids).executeTakeFirst()).numDeletedRows);
  count(
    tally,
    "calls",
    (
      await trx
        .updateTable("calls")
        .set({ caller_number: "", called_number: null, recording_url: null })
        .where("ticket_id", "in", ids)
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  count(
    tally,
    "im_messages",
    (await trx.updateTable("im_messages").set({ sender_id: "" }).where("ticket_id", "in", ids).executeTakeFirst()).numUpdatedRows,
  );
  count(
    tally,
    "csat_surveys",
    (
      await trx
        .updateTable("csat_surveys")
        .set({ comment: null })
        .where("ticket_id", "in", ids)
        .where("comment", "is not", null)
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  count(
    tally,
    "follow_up_visits",
    (
      await trx
        .updateTable("follow_up_visits")
        .set({ outcome: null })
        .where("ticket_id", "in", ids)
        .where("outcome", "is not", null)
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  count(
    tally,
    "ticket_access_tokens",
    (await trx.deleteFrom("ticket_access_tokens").where("ticket_id", "in", ids).executeTakeFirst()).numDeletedRows,
  );
  count(
    tally,
    "kb_help_visits",
    (await trx.updateTable("kb_help_visits").set({ query: "" }).where("ticket_id", "in", ids).executeTakeFirst()).numUpdatedRows,
  );
  // Field changes of subject, description and custom fields held the old values.
  await allowRedaction(trx);
  count(
    tally,
    "ticket_events",
    (
      await trx
        .updateTable("ticket_events")
        .set({ before: null, after: null })
        .where("ticket_id", "in", ids)
        .where((eb) => eb.or([eb("field", "in", ["subject", "description"]), eb("field", "like", "customFields.%")]))
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  await reindexTickets(trx, ids);
  return files;
}
