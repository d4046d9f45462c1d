import type { z } from "zod";
import type { createDepartmentBody, updateDepartmentBody } from "@loopdesk/contracts/directory";
import { sql } from "kysely";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

const present = (r: { id: number; name: string; parent_id: number | null; solve_requires_reply: boolean }) => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  solveRequiresReply: r.solve_requires_reply,
});
const COLUMNS = ["id", "name", "parent_id", "solve_requires_reply"] as const;

export async function listDepartments(db: Executor) {
  return (await db.selectFrom("departments").select(COLUMNS).orderBy("id").execute()).map(present);
}

/** The given departments and everything below them in the hierarchy. */
export async function withDescendants(db: Executor, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ id: number }>`
    with recursive tree(id) as (
      select id from departments where id = any(${ids}::int[])
      union
      select d.id from departments d join tree t on d.parent_id = t.id
    ) select id from tree`.execute(db);
  return rows.rows.map((r) => r.id);
}

async function checkParent(db: Executor, parentId: number | null | undefined, selfId?: number) {
  if (parentId == null) return;
  const exists = await db.selectFrom("departments").select("id").where("id", "=", parentId).executeTakeFirst();
  if (!exists) throw ValidationError([{ path: "parentId", code: "unknown_reference", message: "Unknown department." }]);
  if (selfId !== undefined && (await withDescendants(db, [selfId])).includes(parentId))
    throw ValidationError([{ path: "parentId", code: "cycle", message: "A department cannot be placed under itself." }]);
}

export async function createDepartment(db: Executor, input: z.output<typeof createDepartmentBody>) {
  await checkParent(db, input.parentId);
  const row = await db
    .insertInto("departments")
    .values({ name: input.name, parent_id: input.parentId, solve_requires_reply: input.solveRequiresReply })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateDepartment(db: Executor, id: number, input: z.output<typeof updateDepartmentBody>) {
  await checkParent(db, input.parentId, id);
  const row = await db
    .updateTable("departments")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
      ...(input.solveRequiresReply !== undefined ? { solve_requires_reply: input.solveRequiresReply } : {}),
    })
    .where("id", "=", id)
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!row) throw NotFoundError("Department");
  return present(row);
}

/** Which of the given ids are departments. */
export async function existingDepartmentIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return (await db.selectFrom("departments").select("id").where("id", "in", ids).execute()).map((r) => r.id);
}

export async function departmentExists(db: Executor, id: number) {
  return !!(await db.selectFrom("departments").select("id").where("id", "=", id).executeTakeFirst());
}

/** Whether solving a ticket of this department needs a public reply first (no department: yes). */
export async function solveRequiresReply(db: Executor, departmentId: number | null) {
  if (departmentId === null) return true;
  const row = await db.selectFrom("departments").select("solve_requires_reply").where("id", "=", departmentId).executeTakeFirst();
  return row?.solve_requires_reply ?? true;
}
