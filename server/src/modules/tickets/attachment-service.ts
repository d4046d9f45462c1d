import { fileTypeFromBuffer } from "file-type";
import type { Selectable } from "kysely";
import type { AttachmentsTable } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { FileStore } from "../../platform/files/file-store";
import { inertFileHeaders } from "../../platform/files/served-file";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { loadVisibleTicket } from "./ticket-access";

type Row = Selectable<AttachmentsTable>;

export const presentAttachment = (a: Row) => ({
  id: a.id,
  filename: a.filename,
  contentType: a.content_type,
  size: a.size,
  sha256: a.sha256,
  url: `/api/v1/attachments/${a.id}`,
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const UNSAFE_FILENAME_CHARS = /[\u0000-\u001f\u007f"<>]/g;

export function cleanFilename(name: string) {
  const base = name
    .replace(/^.*[\\/]/, "")
    .replace(UNSAFE_FILENAME_CHARS, "")
    .trim();
  return (base || "file").slice(0, 200);
}

/** The content type decided by the bytes, never by the client's claim. */
async function sniff(data: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(data);
  if (detected) return detected.mime;
  const head = data.subarray(0, 8192);
  const text = head.toString("utf8");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: binary detection
  return !text.includes("\uFFFD") && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? "text/plain" : "application/octet-stream";
}

export async function storeAttachment(db: Executor, files: FileStore, principal: Principal, filename: string, data: Buffer) {
  if (data.length === 0) throw ValidationError([{ path: "file", code: "empty_file", message: "The file is empty." }]);
  return insertAttachment(db, principal, filename, await putAttachmentFile(files, data));
}

/** Stores the bytes (outside any transaction: a file write is slow) and decides their type. */
export async function putAttachmentFile(files: FileStore, data: Buffer) {
  const [stored, contentType] = await Promise.all([files.put(data), sniff(data)]);
  return { ...stored, contentType };
}

/** The attachment's row for bytes already stored; linked to a ticket later (linkAttachments). */
export async function insertAttachment(
  db: Executor,
  principal: Principal,
  filename: string,
  file: { sha256: string; size: number; contentType: string },
) {
  const row = await db
    .insertInto("attachments")
    .values({
      sha256: file.sha256,
      size: file.size,
      content_type: file.contentType,
      filename: cleanFilename(filename),
      uploader_type: principal.kind,
      uploader_id: principal.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentAttachment(row);
}

/** Attaches the caller's own, not yet used uploads to a ticket (and message). */
export async function linkAttachments(
  db: Executor,
  principal: Principal,
  ids: number[],
  target: { ticketId: number; messageId: number | null },
) {
  const unique = [...new Set(ids)];
  const res = await db
    .updateTable("attachments")
    .set({ ticket_id: target.ticketId, message_id: target.messageId })
    .where("id", "in", unique)
    .where("ticket_id", "is", null)
    .where("uploader_type", "=", principal.kind)
    .where("uploader_id", "=", principal.id)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== unique.length)
    throw ValidationError([{ path: "attachmentIds", code: "unknown_reference", message: "Unknown or already used attachment." }]);
}

export async function attachmentsForMessages(db: Executor, messageIds: number[]) {
  if (messageIds.length === 0) return new Map<number, ReturnType<typeof presentAttachment>[]>();
  const rows = await db.selectFrom("attachments").selectAll().where("message_id", "in", messageIds).orderBy("id").execute();
  const map = new Map<number, ReturnType<typeof presentAttachment>[]>();
  for (const r of rows) {
    const list = map.get(r.message_id as number) ?? [];
    list.push(presentAttachment(r));
    map.set(r.message_id as number, list);
  }
  return map;
}

export async function ticketAttachments(db: Executor, ticketId: number) {
  const rows = await db
    .selectFrom("attachments")
    .selectAll()
    .where("ticket_id", "=", ticketId)
    .where("message_id", "is", null)
    .orderBy("id")
    .execute();
  return rows.map(presentAttachment);
}

/** An attachment the principal may download, with the headers that keep it inert. */
export async function openAttachment(db: Executor, files: FileStore, principal: Principal, id: number) {
  const a = await db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
  if (!a) throw NotFoundError("Attachment");
  if (a.ticket_id === null) {
    if (a.uploader_type !== principal.kind || a.uploader_id !== principal.id) throw NotFoundError("Attachment");
  } else {
    await loadVisibleTicket(db, principal, a.ticket_id);
    if (a.message_id !== null && principal.kind === "customer") {
      const m = await db.selectFrom("ticket_messages").select("visibility").where("id", "=", a.message_id).executeTakeFirst();
      if (m?.visibility !== "public") throw NotFoundError("Attachment");
    }
  }
  return { stream: files.open(a.sha256), headers: inertFileHeaders(a) };
}
