import type { Mailbox, MailboxBody } from "@loopdesk/contracts/intake";
import type { Selectable } from "kysely";
import type { MailboxesTable } from "../../db/schema-intake";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { getCategory } from "../directory/category-service";
import { departmentExists } from "../directory/department-service";

type Row = Selectable<MailboxesTable>;

/** The API's view: the IMAP password is never sent back, only whether one is set. */
export const presentMailbox = (r: Row): Mailbox => ({
  id: r.id,
  name: r.name,
  address: r.address,
  active: r.active,
  departmentId: r.department_id,
  categoryId: r.category_id,
  imap: r.imap_host
    ? {
        host: r.imap_host,
        port: r.imap_port ?? (r.imap_secure ? 993 : 143),
        secure: r.imap_secure,
        user: r.imap_user ?? "",
        folder: r.imap_folder,
        passwordSet: r.imap_password !== null && r.imap_password !== "",
      }
    : null,
  lastPolledAt: r.last_polled_at?.toISOString() ?? null,
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
});

export async function listMailboxes(db: Executor) {
  return (await db.selectFrom("mailboxes").selectAll().orderBy("id").execute()).map(presentMailbox);
}

export async function getMailboxRow(db: Executor, id: number) {
  const row = await db.selectFrom("mailboxes").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Mailbox");
  return row;
}

/** Active mailboxes whose address is one of these (the recipients of an inbound mail). */
export async function mailboxesFor(db: Executor, addresses: string[]) {
  if (addresses.length === 0) return [];
  return db
    .selectFrom("mailboxes")
    .select(["id", "address", "department_id", "category_id"])
    .where("active", "=", true)
    .where(
      "address",
      "in",
      addresses.map((a) => a.toLowerCase()),
    )
    .execute();
}

export async function mailboxById(db: Executor, id: number) {
  return (
    (await db.selectFrom("mailboxes").select(["id", "address", "department_id", "category_id"]).where("id", "=", id).executeTakeFirst()) ??
    null
  );
}

/** Every address we send from: mail from one of them is our own and never becomes a ticket. */
export async function ownAddresses(db: Executor, extra: string[] = []) {
  const rows = await db.selectFrom("mailboxes").select("address").execute();
  return new Set([...rows.map((r) => r.address), ...extra.map((a) => a.toLowerCase())]);
}

export async function pollableMailboxes(db: Executor) {
  return db.selectFrom("mailboxes").selectAll().where("active", "=", true).where("imap_host", "is not", null).orderBy("id").execute();
}

async function checkReferences(db: Executor, body: MailboxBody) {
  if (body.departmentId != null && !(await departmentExists(db, body.departmentId)))
    throw ValidationError([{ path: "departmentId", code: "unknown_reference", message: "Unknown department." }]);
  if (body.categoryId != null && !(await getCategory(db, body.categoryId))?.active)
    throw ValidationError([{ path: "categoryId", code: "unknown_reference", message: "Unknown category." }]);
}

const columns = (body: MailboxBody, keepPassword: string | null) => ({
  name: body.name,
  address: body.address.toLowerCase(),
  active: body.active,
  department_id: body.departmentId ?? null,
  category_id: body.categoryId ?? null,
  imap_host: body.imap?.host ?? null,
  imap_port: body.imap?.port ?? null,
  imap_secure: body.imap?.secure ?? true,
  imap_user: body.imap?.user ?? null,
  // An omitted password keeps the stored one, so the console never needs to see it.
  imap_password: body.imap ? (body.imap.password ?? keepPassword) : null,
  imap_folder: body.imap?.folder ?? "INBOX",
});

export async function createMailbox(db: Executor, body: MailboxBody) {
  await checkReferences(db, body);
  const row = await db.insertInto("mailboxes").values(columns(body, null)).returningAll().executeTakeFirstOrThrow();
  return presentMailbox(row);
}

export async function updateMailbox(db: Executor, id: number, body: MailboxBody) {
  const current = await getMailboxRow(db, id);
  await checkReferences(db, body);
  const next = columns(body, current.imap_password);
  // Another server or folder: start reading it from its first message.
  const moved = next.imap_host !== current.imap_host || next.imap_user !== current.imap_user || next.imap_folder !== current.imap_folder;
  const row = await db
    .updateTable("mailboxes")
    .set({ ...next, ...(moved ? { imap_last_uid: 0, imap_uid_validity: null } : {}), last_error: null, updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentMailbox(row);
}

export async function deleteMailbox(db: Executor, id: number) {
  const res = await db.deleteFrom("mailboxes").where("id", "=", id).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw NotFoundError("Mailbox");
}

export async function recordPoll(db: Executor, id: number, patch: { uidValidity?: string; lastUid?: number; error: string | null }) {
  await db
    .updateTable("mailboxes")
    .set({
      last_polled_at: new Date(),
      last_error: patch.error,
      ...(patch.uidValidity !== undefined ? { imap_uid_validity: patch.uidValidity } : {}),
      ...(patch.lastUid !== undefined ? { imap_last_uid: patch.lastUid } : {}),
    })
    .where("id", "=", id)
    .execute();
}
