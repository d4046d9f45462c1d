import type { z } from "zod";
import type { createSavedViewBody, SavedView, updateSavedViewBody } from "@loopdesk/contracts/workspace";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { SavedViewsTable } from "../../db/schema-workspace";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { NotFoundError } from "../../platform/errors";
import type { Selectable } from "kysely";
import { staffNames } from "../staff/staff-service";

type Row = Selectable<SavedViewsTable>;
const mayEdit = (staff: StaffPrincipal, row: Pick<Row, "owner_id">) => row.owner_id === staff.id || staff.role === "admin";

async function present(db: Kysely<DB>, staff: StaffPrincipal, rows: Row[]): Promise<SavedView[]> {
  const names = await staffNames(db, [...new Set(rows.map((r) => r.owner_id))]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    filters: r.filters,
    shared: r.shared,
    ownerId: r.owner_id,
    ownerName: names.get(r.owner_id) ?? "",
    editable: mayEdit(staff, r),
    createdAt: r.created_at.toISOString(),
  }));
}

/** The caller's own views, then the views others share with all staff. */
export async function listSavedViews(db: Kysely<DB>, staff: StaffPrincipal) {
  const rows = await db
    .selectFrom("saved_views")
    .selectAll()
    .where((eb) => eb.or([eb("owner_id", "=", staff.id), eb("shared", "=", true)]))
    .orderBy((eb) => eb.case().when("owner_id", "=", staff.id).then(0).else(1).end())
    .orderBy("position")
    .orderBy("id")
    .execute();
  return present(db, staff, rows);
}

export async function createSavedView(db: Kysely<DB>, staff: StaffPrincipal, input: z.infer<typeof createSavedViewBody>) {
  const row = await db
    .insertInto("saved_views")
    .values({ owner_id: staff.id, name: input.name, filters: JSON.stringify(input.filters), shared: input.shared })
    .returningAll()
    .executeTakeFirstOrThrow();
  return (await present(db, staff, [row]))[0] as SavedView;
}

/** Views the caller can see but not edit answer 404 like views they cannot see: no probing. */
async function editableRow(db: Kysely<DB>, staff: StaffPrincipal, id: number) {
  const row = await db.selectFrom("saved_views").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || !mayEdit(staff, row)) throw NotFoundError("Saved view");
  return row;
}

export async function updateSavedView(db: Kysely<DB>, staff: StaffPrincipal, id: number, input: z.infer<typeof updateSavedViewBody>) {
  await editableRow(db, staff, id);
  const row = await db
    .updateTable("saved_views")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.filters !== undefined ? { filters: JSON.stringify(input.filters) } : {}),
      ...(input.shared !== undefined ? { shared: input.shared } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return (await present(db, staff, [row]))[0] as SavedView;
}

export async function deleteSavedView(db: Kysely<DB>, staff: StaffPrincipal, id: number) {
  await editableRow(db, staff, id);
  await db.deleteFrom("saved_views").where("id", "=", id).execute();
}
