import type { z } from "zod";
import type { CannedReply, createCannedReplyBody, updateCannedReplyBody } from "@loopdesk/contracts/workspace";
import type { Kysely, Selectable } from "kysely";
import type { DB } from "../../db/schema";
import type { CannedRepliesTable } from "../../db/schema-workspace";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { ForbiddenError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

type Row = Selectable<CannedRepliesTable>;
/** Shared replies are the team's wording: supervisors and admins maintain them. */
const mayManageShared = (staff: StaffPrincipal) => staff.role !== "agent";
const mayEdit = (staff: StaffPrincipal, row: Pick<Row, "owner_id">) =>
  row.owner_id === null ? mayManageShared(staff) : row.owner_id === staff.id;

const present = (staff: StaffPrincipal, r: Row): CannedReply => ({
  id: r.id,
  title: r.title,
  body: r.body,
  actions: r.actions ?? {},
  shared: r.owner_id === null,
  editable: mayEdit(staff, r),
  updatedAt: r.updated_at.toISOString(),
});

/** The shared replies and the caller's own, by title. */
export async function listCannedReplies(db: Kysely<DB>, staff: StaffPrincipal) {
  const rows = await db
    .selectFrom("canned_replies")
    .selectAll()
    .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", staff.id)]))
    .orderBy("title")
    .orderBy("id")
    .execute();
  return rows.map((r) => present(staff, r));
}

/** A canned reply says something, a macro at least does something. */
function assertNotEmpty(body: string, actions: object) {
  if (body.trim() === "" && Object.keys(actions).length === 0)
    throw ValidationError([{ path: "body", code: "required", message: "Write a reply or choose what the macro changes." }]);
}

export async function createCannedReply(db: Kysely<DB>, staff: StaffPrincipal, input: z.infer<typeof createCannedReplyBody>) {
  assertNotEmpty(input.body, input.actions);
  if (input.shared && !mayManageShared(staff)) throw ForbiddenError("Only supervisors and admins maintain shared canned replies.");
  const row = await db
    .insertInto("canned_replies")
    .values({ owner_id: input.shared ? null : staff.id, title: input.title, body: input.body, actions: JSON.stringify(input.actions) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(staff, row);
}

/** A macro the caller may use: shared, or their own (another agent's is answered as not existing). */
export async function usableMacro(db: Executor, staff: StaffPrincipal, id: number) {
  const row = await db.selectFrom("canned_replies").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || (row.owner_id !== null && row.owner_id !== staff.id)) throw NotFoundError("Macro");
  return row;
}

async function editableRow(db: Kysely<DB>, staff: StaffPrincipal, id: number) {
  const row = await db.selectFrom("canned_replies").selectAll().where("id", "=", id).executeTakeFirst();
  // Another agent's personal reply is invisible (404); a shared one an agent may read but not change (403).
  if (!row || (row.owner_id !== null && row.owner_id !== staff.id)) throw NotFoundError("Canned reply");
  if (!mayEdit(staff, row)) throw ForbiddenError("Only supervisors and admins maintain shared canned replies.");
  return row;
}

export async function updateCannedReply(db: Kysely<DB>, staff: StaffPrincipal, id: number, input: z.infer<typeof updateCannedReplyBody>) {
  const before = await editableRow(db, staff, id);
  assertNotEmpty(input.body ?? before.body, input.actions ?? before.actions);
  if (input.shared && !mayManageShared(staff)) throw ForbiddenError("Only supervisors and admins maintain shared canned replies.");
  const row = await db
    .updateTable("canned_replies")
    .set({
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.actions !== undefined ? { actions: JSON.stringify(input.actions) } : {}),
      ...(input.shared !== undefined ? { owner_id: input.shared ? null : staff.id } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(staff, row);
}

export async function deleteCannedReply(db: Kysely<DB>, staff: StaffPrincipal, id: number) {
  await editableRow(db, staff, id);
  await db.deleteFrom("canned_replies").where("id", "=", id).execute();
}
