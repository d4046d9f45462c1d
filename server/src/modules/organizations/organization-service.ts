import type { z } from "zod";
import type { createOrganizationBody, updateOrganizationBody } from "@loopdesk/contracts/customers";
import type { Selectable } from "kysely";
import type { OrganizationsTable } from "../../db/schema";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { validateCustomFields } from "../custom-fields/custom-field-service";
import { plannedWithItsValues } from "../../db/prepared-statements";

const present = (r: Selectable<OrganizationsTable>) => ({
  id: r.id,
  name: r.name,
  domain: r.domain,
  customFields: r.custom_fields ?? {},
  createdAt: r.created_at.toISOString(),
});

export async function listOrganizations(db: Executor, q?: string) {
  let query = db.selectFrom("organizations").selectAll().orderBy("name").limit(500);
  if (q) query = query.where((eb) => eb(eb.fn("lower", ["name"]), "like", `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  return (await query.execute()).map(present);
}

/** Organizations whose name contains the text (an organization search finds its tickets). */
export async function organizationsMatching(db: Executor, text: string, limit = 20): Promise<number[]> {
  const term = text.trim().toLowerCase();
  if (term.length < 2) return [];
  const rows = await db
    .selectFrom("organizations")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["name"]), "like", `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
    .limit(limit)
    .modifyEnd(plannedWithItsValues)
    .execute();
  return rows.map((r) => r.id);
}

export async function organizationExists(db: Executor, id: number) {
  return !!(await db.selectFrom("organizations").select("id").where("id", "=", id).executeTakeFirst());
}

export async function getOrganization(db: Executor, id: number) {
  const row = await db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Organization");
  return present(row);
}

export async function createOrganization(db: Executor, input: z.output<typeof createOrganizationBody>) {
  const customFields = await validateCustomFields(db, "organization", input.customFields, { requireAll: true });
  const row = await db
    .insertInto("organizations")
    .values({ name: input.name, domain: input.domain ?? null, custom_fields: JSON.stringify(customFields) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateOrganization(db: Executor, id: number, input: z.output<typeof updateOrganizationBody>) {
  const current = await db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) throw NotFoundError("Organization");
  const customFields = input.customFields
    ? await validateCustomFields(db, "organization", input.customFields, { existing: current.custom_fields, requireAll: false })
    : undefined;
  const row = await db
    .updateTable("organizations")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.domain !== undefined ? { domain: input.domain } : {}),
      ...(customFields ? { custom_fields: JSON.stringify(customFields) } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}
