import type { z } from "zod";
import type { createTeamBody, updateTeamBody } from "@loopdesk/contracts/directory";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { departmentExists } from "./department-service";

export async function listTeams(db: Executor) {
  const [teams, members] = await Promise.all([
    db.selectFrom("teams").select(["id", "name", "department_id"]).orderBy("id").execute(),
    db.selectFrom("team_members").selectAll().execute(),
  ]);
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    departmentId: t.department_id,
    memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.staff_id),
  }));
}

async function getTeam(db: Executor, id: number) {
  const team = (await listTeams(db)).find((t) => t.id === id);
  if (!team) throw NotFoundError("Team");
  return team;
}

async function check(db: Executor, input: { departmentId?: number; memberIds?: number[] }) {
  if (input.departmentId !== undefined && !(await departmentExists(db, input.departmentId)))
    throw ValidationError([{ path: "departmentId", code: "unknown_reference", message: "Unknown department." }]);
  const ids = [...new Set(input.memberIds ?? [])];
  if (ids.length) {
    const found = await db.selectFrom("staff").select("id").where("id", "in", ids).execute();
    if (found.length !== ids.length)
      throw ValidationError([{ path: "memberIds", code: "unknown_reference", message: "Unknown staff member." }]);
  }
}

export async function createTeam(db: Kysely<DB>, input: z.output<typeof createTeamBody>) {
  await check(db, input);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("teams")
      .values({ name: input.name, department_id: input.departmentId })
      .returning("id")
      .executeTakeFirstOrThrow();
    const ids = [...new Set(input.memberIds)];
    if (ids.length)
      await trx
        .insertInto("team_members")
        .values(ids.map((staff_id) => ({ team_id: row.id, staff_id })))
        .execute();
    return row.id;
  });
  return getTeam(db, id);
}

export async function updateTeam(db: Kysely<DB>, id: number, input: z.output<typeof updateTeamBody>) {
  await getTeam(db, id);
  await check(db, input);
  await db.transaction().execute(async (trx) => {
    if (input.name !== undefined || input.departmentId !== undefined)
      await trx
        .updateTable("teams")
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
        })
        .where("id", "=", id)
        .execute();
    if (input.memberIds) {
      await trx.deleteFrom("team_members").where("team_id", "=", id).execute();
      const ids = [...new Set(input.memberIds)];
      if (ids.length)
        await trx
          .insertInto("team_members")
          .values(ids.map((staff_id) => ({ team_id: id, staff_id })))
          .execute();
    }
  });
  return getTeam(db, id);
}

export async function listSkills(db: Executor) {
  return db.selectFrom("skills").select(["id", "name"]).orderBy("name").execute();
}

export async function createSkill(db: Executor, name: string) {
  const exists = await db.selectFrom("skills").select("id").where("name", "=", name).executeTakeFirst();
  if (exists) throw ConflictError("A skill with this name exists.", { field: "name" });
  return db.insertInto("skills").values({ name }).returning(["id", "name"]).executeTakeFirstOrThrow();
}

/** Which of the given ids are teams / skills (for other modules' validation). */
export async function existingTeamIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return (await db.selectFrom("teams").select("id").where("id", "in", ids).execute()).map((r) => r.id);
}

export async function skillNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  return new Map((await db.selectFrom("skills").select(["id", "name"]).where("id", "in", ids).execute()).map((r) => [r.id, r.name]));
}

/** Team ids per staff member. */
export async function teamIdsByStaff(db: Executor, staffIds: number[]) {
  const map = new Map<number, number[]>();
  if (staffIds.length === 0) return map;
  for (const m of await db.selectFrom("team_members").selectAll().where("staff_id", "in", staffIds).execute())
    map.set(m.staff_id, [...(map.get(m.staff_id) ?? []), m.team_id]);
  return map;
}

export type PresenceMode = "manual" | "sign_in" | "shift";
const MODE_RANK: Record<PresenceMode, number> = { manual: 0, sign_in: 1, shift: 2 };

/** How each member of a team that does not go online by hand comes online: the most automatic of their teams' modes. */
export async function automaticPresenceModes(db: Executor, staffIds?: number[]) {
  let q = db
    .selectFrom("team_members")
    .innerJoin("teams", "teams.id", "team_members.team_id")
    .select(["team_members.staff_id", "teams.presence_mode"])
    .where("teams.presence_mode", "<>", "manual");
  if (staffIds) q = staffIds.length ? q.where("team_members.staff_id", "in", staffIds) : q.where((eb) => eb.lit(false));
  const modes = new Map<number, PresenceMode>();
  for (const r of await q.execute()) {
    const had = modes.get(r.staff_id);
    if (!had || MODE_RANK[r.presence_mode] > MODE_RANK[had]) modes.set(r.staff_id, r.presence_mode);
  }
  return modes;
}

/** Replaces the teams a staff member belongs to. */
export async function setStaffTeams(db: Executor, staffId: number, teamIds: number[]) {
  await db.deleteFrom("team_members").where("staff_id", "=", staffId).execute();
  const ids = [...new Set(teamIds)];
  if (ids.length)
    await db
      .insertInto("team_members")
      .values(ids.map((team_id) => ({ staff_id: staffId, team_id })))
      .execute();
}

/** Each team's routing settings (strategy, claim timeout, fallback team) with its members. */
export async function listTeamRouting(db: Executor) {
  const [teams, members] = await Promise.all([
    db
      .selectFrom("teams")
      .select(["id", "name", "department_id", "strategy", "claim_timeout_minutes", "fallback_team_id", "presence_mode"])
      .orderBy("id")
      .execute(),
    db.selectFrom("team_members").selectAll().execute(),
  ]);
  return teams.map((t) => ({
    teamId: t.id,
    name: t.name,
    departmentId: t.department_id,
    strategy: t.strategy,
    claimTimeoutMinutes: t.claim_timeout_minutes,
    fallbackTeamId: t.fallback_team_id,
    presenceMode: t.presence_mode,
    memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.staff_id),
  }));
}
export type TeamRouting = Awaited<ReturnType<typeof listTeamRouting>>[number];

/**
 * Sets a team's routing. A fallback that leads back to the team (directly or through other
 * teams' fallbacks) is refused: the chain must end.
 */
export async function updateTeamRouting(
  db: Executor,
  id: number,
  input: {
    strategy?: TeamRouting["strategy"];
    claimTimeoutMinutes?: number;
    fallbackTeamId?: number | null;
    presenceMode?: TeamRouting["presenceMode"];
  },
) {
  const teams = await listTeamRouting(db);
  if (!teams.some((t) => t.teamId === id)) throw NotFoundError("Team");
  if (input.fallbackTeamId != null) {
    const next = new Map(teams.map((t) => [t.teamId, t.fallbackTeamId]));
    if (!next.has(input.fallbackTeamId))
      throw ValidationError([{ path: "fallbackTeamId", code: "unknown_reference", message: "Unknown team." }]);
    next.set(id, input.fallbackTeamId);
    for (let at: number | null | undefined = input.fallbackTeamId, hops = 0; at != null; at = next.get(at), hops++)
      if (at === id || hops > teams.length)
        throw ValidationError([{ path: "fallbackTeamId", code: "cycle", message: "The fallback teams would form a cycle." }]);
  }
  await db
    .updateTable("teams")
    .set({
      ...(input.strategy !== undefined ? { strategy: input.strategy } : {}),
      ...(input.claimTimeoutMinutes !== undefined ? { claim_timeout_minutes: input.claimTimeoutMinutes } : {}),
      ...(input.fallbackTeamId !== undefined ? { fallback_team_id: input.fallbackTeamId } : {}),
      ...(input.presenceMode !== undefined ? { presence_mode: input.presenceMode } : {}),
    })
    .where("id", "=", id)
    .execute();
  return (await listTeamRouting(db)).find((t) => t.teamId === id) as TeamRouting;
}
