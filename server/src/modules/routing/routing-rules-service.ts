import type { RuleConditions, createRoutingRuleBody, updateRoutingRuleBody } from "@loopdesk/contracts/routing";
import { sql } from "kysely";
import type { z } from "zod";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { listCustomFields } from "../custom-fields/custom-field-service";
import { existingCategoryIds } from "../directory/category-service";
import { existingTeamIds, listTeams } from "../directory/team-service";
import { listStaff } from "../staff/staff-service";

type Issue = { path: string; code: string; message: string };
type RuleRow = {
  id: number;
  name: string;
  position: number;
  active: boolean;
  conditions: RuleConditions;
  team_id: number | null;
  agent_ids: number[];
};
export type RoutingRule = Omit<ReturnType<typeof present>, "problem">;

const present = (r: RuleRow, problem: string | null = null) => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  conditions: r.conditions,
  teamId: r.team_id,
  agentIds: r.agent_ids,
  problem,
});

const COLUMNS = ["id", "name", "position", "active", "conditions", "team_id", "agent_ids"] as const;

/** Rules in the order they are tried: position, then id. */
export async function listRoutingRules(db: Executor) {
  const rows = await db.selectFrom("routing_rules").select(COLUMNS).orderBy("position").orderBy("id").execute();
  return rows.map((r) => present(r as RuleRow));
}

/** Rules with what currently stops each from routing (a deleted team, an inactive agent, a team with nobody in it), for the console. */
export async function listRoutingRulesWithProblems(db: Executor) {
  const rules = await listRoutingRules(db);
  const teams = new Map((await listTeams(db)).map((t) => [t.id, t.memberIds]));
  const active = new Set((await listStaff(db)).filter((s) => s.active).map((s) => s.id));
  return rules.map((r) => {
    const members = r.teamId !== null ? teams.get(r.teamId) : undefined;
    const problem =
      r.teamId !== null && !members
        ? "unknown_team"
        : r.agentIds.some((id) => !active.has(id))
          ? "inactive_agent"
          : members && !members.some((id) => active.has(id))
            ? "empty_team"
            : null;
    return { ...r, problem };
  });
}

async function check(db: Executor, input: Partial<z.output<typeof createRoutingRuleBody>>) {
  const issues: Issue[] = [];
  if (input.teamId != null && (await existingTeamIds(db, [input.teamId])).length === 0)
    issues.push({ path: "teamId", code: "unknown_reference", message: "Unknown team." });
  if (input.agentIds?.length) {
    const active = new Set((await listStaff(db)).filter((s) => s.active).map((s) => s.id));
    for (const [i, id] of input.agentIds.entries())
      if (!active.has(id)) issues.push({ path: `agentIds.${i}`, code: "unknown_reference", message: "Unknown staff member." });
  }
  const c = input.conditions;
  if (c?.categoryIds?.length) {
    const known = new Set(await existingCategoryIds(db, c.categoryIds));
    for (const [i, id] of c.categoryIds.entries())
      if (!known.has(id)) issues.push({ path: `conditions.categoryIds.${i}`, code: "unknown_reference", message: "Unknown category." });
  }
  for (const [group, entity] of [
    ["ticketFields", "ticket"],
    ["customerFields", "customer"],
  ] as const) {
    if (!c?.[group]?.length) continue;
    const keys = new Set((await listCustomFields(db, entity)).map((f) => f.key));
    for (const [i, f] of c[group].entries())
      if (!keys.has(f.key))
        issues.push({ path: `conditions.${group}.${i}.key`, code: "unknown_reference", message: "Unknown custom field." });
  }
  if (issues.length) throw ValidationError(issues);
}

export async function createRoutingRule(db: Executor, input: z.output<typeof createRoutingRuleBody>) {
  await check(db, input);
  const row = await db
    .insertInto("routing_rules")
    .values({
      name: input.name,
      position: input.position,
      active: input.active,
      conditions: JSON.stringify(input.conditions),
      team_id: input.teamId,
      agent_ids: input.agentIds,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return present(row as RuleRow);
}

export async function updateRoutingRule(db: Executor, id: number, input: z.output<typeof updateRoutingRuleBody>) {
  const current = (await listRoutingRules(db)).find((r) => r.id === id);
  if (!current) throw NotFoundError("Routing rule");
  const teamId = input.teamId !== undefined ? input.teamId : current.teamId;
  const agentIds = input.agentIds ?? current.agentIds;
  if (teamId === null && agentIds.length === 0)
    throw ValidationError([{ path: "teamId", code: "required", message: "A rule routes to a team or to named agents." }]);
  await check(db, input);
  const row = await db
    .updateTable("routing_rules")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.conditions !== undefined ? { conditions: JSON.stringify(input.conditions) } : {}),
      team_id: teamId,
      agent_ids: agentIds,
      updated_at: sql`now()`,
    })
    .where("id", "=", id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return present(row as RuleRow);
}

export async function deleteRoutingRule(db: Executor, id: number) {
  const deleted = await db.deleteFrom("routing_rules").where("id", "=", id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw NotFoundError("Routing rule");
}

/** What a rule's conditions look at. */
export type RoutingFacts = {
  categoryId: number | null;
  /** The ticket's department (from its category, or set by hand): its teams take what no rule routes. */
  departmentId?: number | null;
  channel: string;
  tier: string;
  priority: string;
  language: string;
  ticketFields: Record<string, unknown>;
  customerFields: Record<string, unknown>;
};

const fieldMatches = (values: string[], actual: unknown) =>
  Array.isArray(actual) ? actual.some((a) => values.includes(String(a))) : actual != null && values.includes(String(actual));

/** Every condition given must hold; a rule without conditions matches every ticket. */
export function ruleMatches(c: RuleConditions, f: RoutingFacts): boolean {
  if (c.categoryIds?.length && (f.categoryId === null || !c.categoryIds.includes(f.categoryId))) return false;
  if (c.channels?.length && !c.channels.includes(f.channel)) return false;
  if (c.tiers?.length && !(c.tiers as string[]).includes(f.tier)) return false;
  if (c.priorities?.length && !(c.priorities as string[]).includes(f.priority)) return false;
  if (c.languages?.length && !c.languages.includes(f.language)) return false;
  if (c.ticketFields?.some((q) => !fieldMatches(q.values, f.ticketFields[q.key]))) return false;
  if (c.customerFields?.some((q) => !fieldMatches(q.values, f.customerFields[q.key]))) return false;
  return true;
}
