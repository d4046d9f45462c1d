import type { z } from "zod";
import type { createStaffBody, StaffMember, updateStaffBody } from "@loopdesk/contracts/staff";
import { type Kysely, sql } from "kysely";
import type { DB, StaffRow } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { hashPassword } from "../../platform/auth/passwords";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

export async function loadStaffPrincipal(db: Executor, staffId: number): Promise<StaffPrincipal | undefined> {
  const row = await db
    .selectFrom("staff")
    .select(["id", "email", "name", "role", "locale", "active"])
    .select(sql<number[]>`array(select department_id from staff_departments where staff_id = staff.id)`.as("department_ids"))
    .where("id", "=", staffId)
    .executeTakeFirst();
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

export async function findStaffByEmail(db: Executor, email: string) {
  return db.selectFrom("staff").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
}

export async function staffExists(db: Executor, id: number) {
  return !!(await db.selectFrom("staff").select("id").where("id", "=", id).where("active", "=", true).executeTakeFirst());
}

async function present(db: Executor, rows: StaffRow[]): Promise<StaffMember[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [deps, teams, skills] = await Promise.all([
    db.selectFrom("staff_departments").selectAll().where("staff_id", "in", ids).execute(),
    db.selectFrom("team_members").selectAll().where("staff_id", "in", ids).execute(),
    db
      .selectFrom("staff_skills")
      .innerJoin("skills", "skills.id", "staff_skills.skill_id")
      .select(["staff_skills.staff_id", "staff_skills.skill_id", "staff_skills.level", "skills.name"])
      .where("staff_skills.staff_id", "in", ids)
      .execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    locale: r.locale === "en" ? "en" : "zh-CN",
    active: r.active,
    departmentIds: deps.filter((d) => d.staff_id === r.id).map((d) => d.department_id),
    teamIds: teams.filter((t) => t.staff_id === r.id).map((t) => t.team_id),
    skills: skills.filter((s) => s.staff_id === r.id).map((s) => ({ skillId: s.skill_id, name: s.name, level: s.level })),
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
  const missing = async (table: "departments" | "teams" | "skills", ids: number[] | undefined, field: string) => {
    const unique = [...new Set(ids ?? [])];
    if (unique.length === 0) return;
    const found = await db.selectFrom(table).select("id").where("id", "in", unique).execute();
    if (found.length !== unique.length) throw ValidationError([{ path: field, code: "unknown_reference", message: `Unknown ${table}` }]);
  };
  await missing("departments", input.departmentIds, "departmentIds");
  await missing("teams", input.teamIds, "teamIds");
  await missing(
    "skills",
    input.skills?.map((s) => s.skillId),
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
  if (input.teamIds) {
    await db.deleteFrom("team_members").where("staff_id", "=", staffId).execute();
    const ids = [...new Set(input.teamIds)];
    if (ids.length)
      await db
        .insertInto("team_members")
        .values(ids.map((team_id) => ({ staff_id: staffId, team_id })))
        .execute();
  }
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
  const passwordHash = await hashPassword(input.password);
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
    if (input.active === false || passwordHash) {
      // A deactivated account or a changed password ends existing sessions.
      await trx.deleteFrom("sessions").where("principal_type", "=", "staff").where("principal_id", "=", id).execute();
    }
  });
  return getStaff(db, id);
}
