import type * as Imap from "imapflow";
import { lazyModule } from "../../../platform/modules/lazy-module";

const imapflow = lazyModule<typeof Imap>("imapflow");
import type { AppContext } from "../../../platform/context";
import { getMailboxRow, recordPoll } from "../mailbox-service";
import { ingestEmail, recordRejected } from "./ingest-email";

/** At most this many messages per poll, so one backlog does not hold the job for long. */
const BATCH = 200;

/**
 * Reads an IMAP mailbox's new messages (UIDs above the last one read) and takes each in. The
 * last UID is saved after every message, so a crash re-reads at most one message — which the
 * Message-ID check then ignores. A new UIDVALIDITY (the folder was rebuilt) starts again from
 * the first message, likewise without duplicates. Messages over the size limit are logged
 * without being downloaded.
 */
export async function pollMailbox(ctx: AppContext, mailboxId: number): Promise<{ read: number }> {
  const box = await getMailboxRow(ctx.db, mailboxId);
  if (!box.active || !box.imap_host || !box.imap_user) return { read: 0 };
  const client = new (imapflow().ImapFlow)({
    host: box.imap_host,
    port: box.imap_port ?? (box.imap_secure ? 993 : 143),
    secure: box.imap_secure,
    auth: { user: box.imap_user, pass: box.imap_password ? ctx.secrets.reveal(box.imap_password) : "" },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  let read = 0;
  try {
    await client.connect();
    const opened = await client.mailboxOpen(box.imap_folder);
    const validity = String(opened.uidValidity);
    // (A bigint column: a string from PostgreSQL, a number from the embedded engine.)
    const sameFolder = box.imap_uid_validity !== null && String(box.imap_uid_validity) === validity;
    let lastUid = sameFolder ? Number(box.imap_last_uid) : 0;
    if (!sameFolder) await recordPoll(ctx.db, box.id, { uidValidity: validity, lastUid: 0, error: null });
    if (opened.exists > 0) {
      const uids = ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || []).filter((u) => u > lastUid).slice(0, BATCH);
      for (const uid of uids) {
        const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
        const size = meta ? (meta.size ?? 0) : 0;
        if (size > ctx.config.maxEmailBytes) {
          await recordRejected(ctx, { mailbox_id: box.id, source: "imap", from_address: null, size }, "too_large");
        } else {
          const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
          if (message !== false && message.source) await ingestEmail(ctx, message.source, { source: "imap", mailboxId: box.id });
          await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true }).catch(() => undefined);
        }
        lastUid = uid;
        read++;
        await recordPoll(ctx.db, box.id, { lastUid, error: null });
      }
    }
    await recordPoll(ctx.db, box.id, { error: null });
    return { read };
  } catch (err) {
    const message = (err as Error & { responseText?: string }).responseText ?? (err as Error).message;
    await recordPoll(ctx.db, box.id, { error: message.slice(0, 500) });
    ctx.logger.warn({ mailboxId: box.id, err: message }, "IMAP poll failed");
    throw err;
  } finally {
    await client.logout().catch(() => client.close());
  }
}
