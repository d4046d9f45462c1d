import type { Kysely } from "kysely";
import type { Database } from "../../db/database";
import type { DB } from "../../db/schema";
import type { Executor } from "../../platform/jobs/job-queue";
import { listDepartments } from "../directory/department-service";
import { type TeamRouting, listTeamRouting } from "../directory/team-service";
import { listStaff } from "../staff/staff-service";
import { type RoutingRule, listRoutingRules } from "./routing-rules-service";
import { type RoutingSettings, getRoutingSettings } from "./routing-settings";
import { markRoutingInUse } from "./routing-usage";

/** Everything a routing decision needs that changes only when an admin edits it. */
export type RoutingDirectory = {
  settings: RoutingSettings;
  rules: RoutingRule[];
  teams: Map<number, TeamRouting>;
  /** Teams by department, and each department's parent: the hierarchy fallback. */
  teamsByDepartment: Map<number, TeamRouting[]>;
  parentOf: Map<number, number | null>;
  categorySkills: Map<number, { skillId: number; minLevel: number }[]>;
  staff: Map<number, { name: string; role: string; active: boolean; skills: Map<number, number> }>;
};

const TTL_MS = 3000;
const cache = new WeakMap<object, { at: number; value: Promise<RoutingDirectory> }>();
/** Notified by migration 0035's triggers when a change to any table the directory is read from commits. */
const DIRECTORY_CHANNEL = "loopdesk_routing_directory";

/**
 * Read per process and kept, so a decision costs no configuration queries. Every process that
 * watches (watchRoutingDirectory) drops its copy when a change commits, whichever process or API
 * made it; TTL_MS bounds how long a notification missed while the listening connection was down
 * could leave a copy stale. `db` keys the cache; `via` reads (pass the transaction you are in).
 */
export function routingDirectory(db: Kysely<DB>, via: Executor = db): Promise<RoutingDirectory> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  // Read through the caller's transaction when there is one (the embedded engine has one connection).
  const value = loadDirectory(via);
  cache.set(db, { at: Date.now(), value });
  value.catch(() => {
    if (cache.get(db)?.value === value) cache.delete(db);
  });
  return value;
}

export function invalidateRoutingDirectory(db: Kysely<DB>) {
  cache.delete(db);
}

/** Listens for committed changes to the directory and drops this process's copy; resolves to a function that stops. */
export function watchRoutingDirectory(database: Pick<Database, "listen">, db: Kysely<DB>) {
  return database.listen(DIRECTORY_CHANNEL, () => {
    invalidateRoutingDirectory(db);
    // A team or rule may have just appeared: new tickets are routed from now on.
    markRoutingInUse(db);
  });
}

async function loadDirectory(db: Executor): Promise<RoutingDirectory> {
  const [settings, rules, teams, departments, categorySkills, staff] = await Promise.all([
    getRoutingSettings(db),
    listRoutingRules(db),
    listTeamRouting(db),
    listDepartments(db),
    db.selectFrom("category_skills").selectAll().execute(),
    listStaff(db),
  ]);
  const teamsByDepartment = new Map<number, TeamRouting[]>();
  for (const t of teams) teamsByDepartment.set(t.departmentId, [...(teamsByDepartment.get(t.departmentId) ?? []), t]);
  const skills = new Map<number, { skillId: number; minLevel: number }[]>();
  for (const c of categorySkills)
    skills.set(c.category_id, [...(skills.get(c.category_id) ?? []), { skillId: c.skill_id, minLevel: c.min_level }]);
  return {
    settings,
    rules: rules.filter((r) => r.active),
    teams: new Map(teams.map((t) => [t.teamId, t])),
    teamsByDepartment,
    parentOf: new Map(departments.map((d) => [d.id, d.parentId])),
    categorySkills: skills,
    staff: new Map(
      staff.map((s) => [
        s.id,
        { name: s.name, role: s.role, active: s.active, skills: new Map(s.skills.map((k) => [k.skillId, k.level])) },
      ]),
    ),
  };
}
