import type { PrivacyFound, PrivacyReport } from "@loopdesk/contracts/privacy";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { FileStore } from "../../platform/files/file-store";
import { ERASED_TEXT, Needles } from "./needles";
import { type Tally, collectTicketNeedles, purgeTickets } from "./purge-tickets";
import { scrubCopies } from "./scrub";
import { searchDatabase } from "./verify-erasure";

/** The name an erased customer keeps (the row stays so the statistics that count customers hold). */
export const ERASED_NAME = "已删除的客户";

const n = (v: unknown) => Number(v ?? 0);

/**
 * Erases a customer (and the customers merged into them) in one transaction: identities, sign-in
 * sessions, codes and links removed; the profile anonymized; every ticket they raised purged
 * (purgeTickets) and their messages on other tickets emptied; copies in events, jobs, webhook
 * deliveries, notifications and the audit log scrubbed. Then the whole database is searched for
 * what was removed. Answers the report (counts only) and the file-store entries to check.
 */
export async function eraseCustomer(trx: Transaction<DB>, customerId: number) {
  const started = Date.now();
  const people = await trx
    .selectFrom("customers")
    .select(["id", "name", "custom_fields"])
    .where((eb) => eb.or([eb("id", "=", customerId), eb("merged_into_id", "=", customerId)]))
    .forUpdate()
    .execute();
  const ids = people.map((p) => p.id);
  const needles = new Needles();
  for (const p of people) {
    needles.add("name", p.name === ERASED_NAME ? null : p.name);
    needles.addValues(p.custom_fields);
  }
  const identities = await trx.selectFrom("customer_identities").select(["kind", "value"]).where("customer_id", "in", ids).execute();
  for (const i of identities)
    if (i.kind === "phone") needles.addPhone(i.value);
    else needles.add(i.kind === "email" ? "email" : "identity", i.value);

  const ticketIds = (await trx.selectFrom("tickets").select("id").where("customer_id", "in", ids).execute()).map((t) => t.id);
  await collectTicketNeedles(trx, ticketIds, needles);
  const elsewhere = await trx
    .selectFrom("ticket_messages")
    .select(["id", "body_text"])
    .where("author_customer_id", "in", ids)
    .where((eb) => (ticketIds.length ? eb("ticket_id", "not in", ticketIds) : eb.lit(true)))
    .execute();
  for (const m of elsewhere) needles.addText(m.body_text);
  const found = await footprint(trx, ids, ticketIds, identities.length);

  const done: Tally = {};
  const files = await purgeTickets(trx, ticketIds, done);
  if (elsewhere.length) {
    const messageIds = elsewhere.map((m) => m.id);
    await trx
      .updateTable("ticket_messages")
      .set({ body_text: ERASED_TEXT, body_html: null, external_id: null })
      .where("id", "in", messageIds)
      .execute();
    done.ticket_messages = (done.ticket_messages ?? 0) + messageIds.length;
    const gone = await trx.deleteFrom("attachments").where("message_id", "in", messageIds).returning("sha256").execute();
    files.push(...gone.map((a) => a.sha256));
    if (gone.length) done.attachments = (done.attachments ?? 0) + gone.length;
  }
  const uploads = await trx
    .deleteFrom("attachments")
    .where("uploader_type", "=", "customer")
    .where("uploader_id", "in", ids)
    .returning("sha256")
    .execute();
  files.push(...uploads.map((a) => a.sha256));
  done.customer_identities = identities.length;
  done.sessions = n(
    (await trx.deleteFrom("sessions").where("principal_type", "=", "customer").where("principal_id", "in", ids).executeTakeFirst())
      .numDeletedRows,
  );
  done.login_codes = n((await trx.deleteFrom("login_codes").where("customer_id", "in", ids).executeTakeFirst()).numDeletedRows);
  await trx.deleteFrom("ticket_access_tokens").where("customer_id", "in", ids).execute();
  await trx.deleteFrom("customer_identities").where("customer_id", "in", ids).execute();
  await trx
    .updateTable("calls")
    .set({ caller_number: "", called_number: null, recording_url: null })
    .where("customer_id", "in", ids)
    .execute();
  // Looked-up CRM records are a cache keyed by the person's identifiers: cleared whole.
  await trx.deleteFrom("crm_lookup_cache").execute();
  // An earlier access request's archive holds everything: it goes too.
  const archives = await trx
    .selectFrom("privacy_requests")
    .select("archive_sha256")
    .where("customer_id", "in", ids)
    .where("archive_sha256", "is not", null)
    .execute();
  if (archives.length) {
    await trx.updateTable("privacy_requests").set({ archive_sha256: null, archive_size: null }).where("customer_id", "in", ids).execute();
    files.push(...archives.flatMap((a) => (a.archive_sha256 ? [a.archive_sha256] : [])));
  }
  done.customers = n(
    (
      await trx
        .updateTable("customers")
        .set({ name: ERASED_NAME, password_hash: null, custom_fields: "{}", erased_at: new Date(), updated_at: new Date() })
        .where("id", "in", ids)
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  for (const [table, count] of Object.entries(await scrubCopies(trx, needles))) done[table] = (done[table] ?? 0) + count;

  const db = await searchDatabase(trx, needles, { customerIds: ids, ticketIds });
  const keptFacts = ticketIds.length
    ? n(
        (
          await trx
            .selectFrom("analytics_ticket_facts")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("ticket_id", "in", ticketIds)
            .executeTakeFirst()
        )?.n,
      )
    : 0;
  const report: Omit<PrivacyReport, "filesRemoved" | "verification"> & {
    verification: Omit<PrivacyReport["verification"], "filesSearched">;
  } = {
    found,
    done,
    verification: { searchedValues: needles.size, kinds: needles.kinds(), columnsSearched: db.columnsSearched, remaining: db.remaining },
    keptFacts,
    durationMs: Date.now() - started,
  };
  return { report, files, needles };
}

async function footprint(trx: Transaction<DB>, ids: number[], ticketIds: number[], identities: number): Promise<PrivacyFound> {
  const countOf = async (q: Promise<{ n: unknown } | undefined>) => n((await q)?.n);
  const byTickets = (
    table: "ticket_messages" | "attachments" | "calls" | "im_messages" | "inbound_emails" | "csat_surveys" | "follow_up_visits",
  ) =>
    ticketIds.length
      ? countOf(
          (trx as Kysely<DB>)
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("ticket_id", "in", ticketIds)
            .executeTakeFirst(),
        )
      : Promise.resolve(0);
  return {
    identities,
    tickets: ticketIds.length,
    messages: await byTickets("ticket_messages"),
    attachments: await byTickets("attachments"),
    calls: await byTickets("calls"),
    imMessages: await byTickets("im_messages"),
    emails: await byTickets("inbound_emails"),
    ratings: ticketIds.length
      ? await countOf(
          trx
            .selectFrom("csat_surveys")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("ticket_id", "in", ticketIds)
            .where("rating", "is not", null)
            .executeTakeFirst(),
        )
      : 0,
    visits: await byTickets("follow_up_visits"),
    sessions: await countOf(
      trx
        .selectFrom("sessions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("principal_type", "=", "customer")
        .where("principal_id", "in", ids)
        .executeTakeFirst(),
    ),
  };
}

/** Removes the file-store entries nothing refers to any more (after the erasure committed). */
export async function removeUnusedFiles(db: Kysely<DB>, store: FileStore, shas: string[]) {
  let removed = 0;
  for (const sha of new Set(shas)) {
    const used =
      (await db.selectFrom("attachments").select("id").where("sha256", "=", sha).limit(1).executeTakeFirst()) ??
      (await db.selectFrom("kb_files").select("id").where("sha256", "=", sha).limit(1).executeTakeFirst()) ??
      (await db.selectFrom("inbound_emails").select("id").where("raw_sha256", "=", sha).limit(1).executeTakeFirst()) ??
      (await db.selectFrom("privacy_requests").select("id").where("archive_sha256", "=", sha).limit(1).executeTakeFirst());
    if (used || !store.exists(sha)) continue;
    await store.remove(sha);
    removed++;
  }
  return removed;
}
