import { forgetPrincipals } from "../../platform/auth/principal-cache";
import { compiledOnce, slot } from "../../db/compiled-once";
import { prepared } from "../../db/prepared-statements";
import type { z } from "zod";
import {
  type StaffMember,
  type StaffPreferences,
  type createStaffBody,
  staffPreferences,
  type updateStaffBody,
} from "@loopdesk/contracts/staff";
import { type InferResult, type Kysely, sql } from "kysely";
import type { DB, StaffRow } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { hashPassword } from "../../platform/auth/passwords";
import { existingDepartmentIds } from "../directory/department-service";
import { existingTeamIds, setStaffTeams, skillNames, teamIdsByStaff } from "../directory/team-service";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

/** A staff member as a signed-in principal: the columns and their departments, in one row. */
export const staffPrincipalQuery = (db: Kysely<DB>) =>
  db
    .selectFrom("staff")
    .select(["id", "email", "name", "role", "locale", "active"])
    .select(sql<number[]>`array(select department_id from staff_departments where staff_id = staff.id)`.as("department_ids"));

type StaffPrincipalRow = InferResult<ReturnType<typeof staffPrincipalQuery>>[number];

/** The principal of an active staff member's row (none for a deactivated one). */
export function toStaffPrincipal(row: StaffPrincipalRow | undefined): StaffPrincipal | undefined {
  if (!row?.active) return undefined;
  return {
    kind: "staff",
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale === "en" ? "en" : "zh-CN",
    departmentIds: row.department_ids ?? [],
  };
}

// Read at every request of a signed-in staff member: compiled once.
const staffById = compiledOnce((db) => staffPrincipalQuery(db).where("id", "=", slot<number>("id")).modifyEnd(prepared));

export async function loadStaffPrincipal(db: Executor, staffId: number): Promise<StaffPrincipal | undefined> {
  const [row] = await staffById(db, { id: staffId });
  return toStaffPrincipal(row);
}

/** Display names of staff members, for timelines and lists. */
export async function staffNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  return new Map((await db.selectFrom("staff").select(["id", "name"]).where("id", "in", ids).execute()).map((r) => [r.id, r.name]));
}

export async function staffPreferencesOf(db: Executor, id: number): Promise<StaffPreferences> {
  const row = await db.selectFrom("staff").select("preferences").where("id", "=", id).executeTakeFirst();
  const parsed = staffPreferences.safeParse(row?.preferences ?? {});
  return parsed.success ? parsed.data : {};
}

/** Merges the given settings into the person's own. */
export async function saveStaffPreferences(db: Executor, id: number, input: StaffPreferences) {
  const next = { ...(await staffPreferencesOf(db, id)), ...input };
  await db
    .updateTable("staff")
    .set({ preferences: JSON.stringify(next) })
    .where("id", "=", id)
    .execute();
  return next;
}

export async function setStaffLocale(db: Kysely<DB>, id: number, locale: "zh-CN" | "en") {
  await db.updateTable("staff").set({ locale, updated_at: new Date() }).where("id", "=", id).execute();
  forgetPrincipals(db);
}

export async function findStaffByEmail(db: Executor, email: string) {
  return db.selectFrom("staff").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
}

export async function staffPasswordHash(db: Executor, id: number) {
  return (await db.selectFrom("staff").select("password_hash").where("id", "=", id).executeTakeFirst())?.password_hash ?? null;
}

export async function setStaffPasswordHash(db: Executor, id: number, hash: string) {
  await db.updateTable("staff").set({ password_hash: hash, updated_at: new Date() }).where("id", "=", id).execute();
}

/**
 * Who oversees a department's tickets: its active supervisors; with none (or no department),
 * the active admins.
 */
export async function supervisorIdsFor(db: Executor, departmentId: number | null) {
  if (departmentId !== null) {
    const rows = await db
      .selectFrom("staff")
      .innerJoin("staff_departments", "staff_departments.staff_id", "staff.id")
      .select("staff.id")
      .where("staff_departments.department_id", "=", departmentId)
      .where("staff.role", "=", "supervisor")
      .where("staff.active", "=", true)
      .execute();
    if (rows.length) return rows.map((r) => r.id);
  }
  const admins = await db.selectFrom("staff").select("id").where("role", "=", "admin").where("active", "=", true).execute();
  return admins.map((r) => r.id);
}

/** Active staff members' addresses and languages, for mail. */
export async function staffContacts(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("staff").select(["id", "email", "locale"]).where("id", "in", ids).where("active", "=", true).execute();
}

/** Everyone who belongs to one of these departments. */
export async function staffOfDepartments(db: Executor, departmentIds: number[]) {
  if (departmentIds.length === 0) return [];
  const rows = await db.selectFrom("staff_departments").select("staff_id").distinct().where("department_id", "in", departmentIds).execute();
  return rows.map((r) => r.staff_id);
}

export async function staffExists(db: Executor, id: number) {
  return !!(await db.selectFrom("staff").select("id").where("id", "=", id).where("active", "=", true).executeTakeFirst());
}

async function present(db: Executor, rows: StaffRow[]): Promise<StaffMember[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [deps, teams, skills] = await Promise.all([
    db.selectFrom("staff_departments").selectAll().where("staff_id", "in", ids).execute(),
    teamIdsByStaff(db, ids),
    db.selectFrom("staff_skills").selectAll().where("staff_id", "in", ids).execute(),
  ]);
  const names = await skillNames(db, [...new Set(skills.map((s) => s.skill_id))]);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    locale: r.locale === "en" ? "en" : "zh-CN",
    active: r.active,
    departmentIds: deps.filter((d) => d.staff_id === r.id).map((d) => d.department_id),
    teamIds: teams.get(r.id) ?? [],
    skills: skills
      .filter((s) => s.staff_id === r.id)
      .map((s) => ({ skillId: s.skill_id, name: names.get(s.skill_id) ?? "", level: s.level })),
    hasPassword: r.password_hash !== null,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function listStaff(db: Executor) {
  return present(db, await db.selectFrom("staff").selectAll().orderBy("id").execute());
}

export async function getStaff(db: Executor, id: number) {
  const row = await db.selectFrom("staff").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Staff member");
  return (await present(db, [row]))[0];
}

async function checkRefs(db: Executor, input: { departmentIds?: number[]; teamIds?: number[]; skills?: { skillId: number }[] }) {
  const check = async (
    ids: number[] | undefined,
    existing: (db: Executor, ids: number[]) => Promise<unknown[] | Map<number, unknown>>,
    field: string,
  ) => {
    const unique = [...new Set(ids ?? [])];
    if (unique.length === 0) return;
    const found = await existing(db, unique);
    const count = found instanceof Map ? found.size : found.length;
    if (count !== unique.length) throw ValidationError([{ path: field, code: "unknown_reference", message: `Unknown ${field}` }]);
  };
  await check(input.departmentIds, existingDepartmentIds, "departmentIds");
  await check(input.teamIds, existingTeamIds, "teamIds");
  await check(
    input.skills?.map((s) => s.skillId),
    skillNames,
    "skills",
  );
}

async function replaceMemberships(db: Executor, staffId: number, input: z.output<typeof updateStaffBody>) {
  if (input.departmentIds) {
    await db.deleteFrom("staff_departments").where("staff_id", "=", staffId).execute();
    const ids = [...new Set(input.departmentIds)];
    if (ids.length)
      await db
        .insertInto("staff_departments")
        .values(ids.map((department_id) => ({ staff_id: staffId, department_id })))
        .execute();
  }
  if (input.teamIds) await setStaffTeams(db, staffId, input.teamIds);
  if (input.skills) {
    await db.deleteFrom("staff_skills").where("staff_id", "=", staffId).execute();
    const bySkill = new Map(input.skills.map((s) => [s.skillId, s.level]));
    if (bySkill.size)
      await db
        .insertInto("staff_skills")
        .values([...bySkill].map(([skill_id, level]) => ({ staff_id: staffId, skill_id, level })))
        .execute();
  }
}

export async function createStaff(db: Kysely<DB>, input: z.output<typeof createStaffBody>) {
  await checkRefs(db, input);
  if (await findStaffByEmail(db, input.email)) throw ConflictError("A staff member with this email exists.", { field: "email" });
  if (!input.password && !input.invite)
    throw ValidationError([{ path: "password", code: "password_or_invite", message: "Give a first password or send an invitation." }]);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("staff")
      .values({ email: input.email, name: input.name, role: input.role, password_hash: passwordHash, locale: input.locale })
      .returning("id")
      .executeTakeFirstOrThrow();
    await replaceMemberships(trx, row.id, input);
    return row.id;
  });
  return getStaff(db, id);
}

export async function updateStaff(db: Kysely<DB>, id: number, input: z.output<typeof updateStaffBody>) {
  await getStaff(db, id);
  await checkRefs(db, input);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("staff")
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(passwordHash ? { password_hash: passwordHash } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    await replaceMemberships(trx, id, input);
  });
  forgetPrincipals(db); // a role, department or deactivation counts from the next request on
  return getStaff(db, id);
}
