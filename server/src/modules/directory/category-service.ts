import type { z } from "zod";
import type { createCategoryBody, updateCategoryBody } from "@loopdesk/contracts/directory";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { departmentExists } from "./department-service";

type Row = { id: number; name: string; parent_id: number | null; department_id: number | null; position: number; active: boolean };
const present = (r: Row) => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  departmentId: r.department_id,
  position: r.position,
  active: r.active,
});
const columns = ["id", "name", "parent_id", "department_id", "position", "active"] as const;

export async function listCategories(db: Executor, activeOnly = false) {
  let q = db.selectFrom("categories").select(columns).orderBy("position").orderBy("id");
  if (activeOnly) q = q.where("active", "=", true);
  return (await q.execute()).map(present);
}

/** Which of these ids are categories. */
export async function existingCategoryIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  return new Set((await db.selectFrom("categories").select("id").where("id", "in", ids).execute()).map((r) => r.id));
}

export async function getCategory(db: Executor, id: number) {
  const row = await db.selectFrom("categories").select(columns).where("id", "=", id).executeTakeFirst();
  return row ? present(row) : undefined;
}

async function check(db: Executor, input: { parentId?: number | null; departmentId?: number | null }, selfId?: number) {
  if (input.parentId != null) {
    let cursor: number | null = input.parentId;
    // Walk up from the new parent: meeting ourselves would make a cycle.
    for (let depth = 0; cursor != null && depth < 100; depth++) {
      if (cursor === selfId)
        throw ValidationError([{ path: "parentId", code: "cycle", message: "A category cannot be placed under itself." }]);
      const parent: { parent_id: number | null } | undefined = await db
        .selectFrom("categories")
        .select("parent_id")
        .where("id", "=", cursor)
        .executeTakeFirst();
      if (!parent) throw ValidationError([{ path: "parentId", code: "unknown_reference", message: "Unknown category." }]);
      cursor = parent.parent_id;
    }
  }
  if (input.departmentId != null && !(await departmentExists(db, input.departmentId)))
    throw ValidationError([{ path: "departmentId", code: "unknown_reference", message: "Unknown department." }]);
}

export async function createCategory(db: Executor, input: z.output<typeof createCategoryBody>) {
  await check(db, input);
  const row = await db
    .insertInto("categories")
    .values({
      name: input.name,
      parent_id: input.parentId,
      department_id: input.departmentId,
      position: input.position,
      active: input.active,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateCategory(db: Executor, id: number, input: z.output<typeof updateCategoryBody>) {
  if (!(await getCategory(db, id))) throw NotFoundError("Category");
  await check(db, input, id);
  const row = await db
    .updateTable("categories")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
      ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
    })
    .where("id", "=", id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return present(row);
}
