import type { TeamRouting } from "../directory/team-service";
import type { TicketRow } from "../../db/schema";
import type { RouteTrigger } from "./route-later";
import type { RoutingDirectory } from "./routing-directory";
import { type RoutingFacts, ruleMatches } from "./routing-rules-service";

/** teamId: route within this team (a transfer to a team) instead of asking the rules. */
type TargetOpts = { trigger: RouteTrigger; teamId?: number };

/** What routing rules may look at of the customer. */
export type CustomerFacts = { tier: string; locale: string; customFields: Record<string, unknown> };

/** Where the rules send a ticket: named agents (green channel), a team, or nowhere (the shared queue). */
export type Target = { teamId: number | null; agentIds: number[]; reason: string; details: Record<string, unknown> };

export function selectTarget(dir: RoutingDirectory, facts: RoutingFacts): Target {
  for (const rule of dir.rules) {
    if (!ruleMatches(rule.conditions, facts)) continue;
    const details = { ruleId: rule.id, ruleName: rule.name };
    if (rule.teamId !== null && !dir.teams.has(rule.teamId))
      // The rule points at a team that is gone: the default queue, and the log says why.
      return { ...defaultTarget(dir), reason: "rule_team_missing", details: { ...details, missingTeamId: rule.teamId } };
    return { teamId: rule.teamId, agentIds: rule.agentIds, reason: rule.agentIds.length ? "green_channel" : "rule_matched", details };
  }
  const own = departmentTeam(dir, facts.departmentId ?? null);
  if (own) return { teamId: own.teamId, agentIds: [], reason: "department_team", details: {} };
  return defaultTarget(dir);
}

/**
 * The team that takes a department's tickets when no rule says otherwise: the department's first
 * team (by creation), else the nearest department above it with a team. A category names its
 * department, so a 发票 ticket reaches 财务组 without a rule for it.
 */
export function departmentTeam(dir: RoutingDirectory, departmentId: number | null): TeamRouting | undefined {
  const seen = new Set<number>();
  for (let d: number | null | undefined = departmentId; d != null && !seen.has(d); d = dir.parentOf.get(d)) {
    seen.add(d);
    const team = dir.teamsByDepartment.get(d)?.[0];
    if (team) return team;
  }
  return undefined;
}

function defaultTarget(dir: RoutingDirectory): Target {
  const id = dir.settings.defaultTeamId;
  return id !== null && dir.teams.has(id)
    ? { teamId: id, agentIds: [], reason: "default_team", details: {} }
    : { teamId: null, agentIds: [], reason: "no_team", details: {} };
}

/**
 * The team, then its fallback chain, then the other teams of its department and of each
 * department above it: where to look when nobody in the team can take the ticket. Each team once.
 */
export function fallbackChain(dir: RoutingDirectory, teamId: number): TeamRouting[] {
  const chain: TeamRouting[] = [];
  const seen = new Set<number>();
  const add = (t: TeamRouting | undefined) => {
    if (t && !seen.has(t.teamId)) {
      seen.add(t.teamId);
      chain.push(t);
    }
  };
  for (let at: number | null | undefined = teamId; at != null && !seen.has(at); at = dir.teams.get(at)?.fallbackTeamId)
    add(dir.teams.get(at));
  const first = dir.teams.get(teamId);
  const departments = new Set<number>();
  for (let d: number | null | undefined = first?.departmentId; d != null && !departments.has(d); d = dir.parentOf.get(d)) {
    departments.add(d);
    for (const t of dir.teamsByDepartment.get(d) ?? []) add(t);
  }
  return chain;
}

/** Where the rules (or the caller's team) send the ticket. */
export function targetOf(dir: RoutingDirectory, ticket: TicketRow, customer: CustomerFacts | undefined, opts: TargetOpts): Target {
  if (opts.teamId !== undefined && dir.teams.has(opts.teamId))
    return { teamId: opts.teamId, agentIds: [], reason: opts.trigger, details: {} };
  return selectTarget(dir, {
    categoryId: ticket.category_id,
    departmentId: ticket.department_id,
    channel: ticket.channel,
    tier: customer?.tier ?? "normal",
    priority: ticket.priority,
    language: customer?.locale ?? "zh-CN",
    ticketFields: ticket.custom_fields,
    customerFields: customer?.customFields ?? {},
  });
}

/** The agents a decision looks at first: the named ones and the target team's members. */
export function teamMembersFor(dir: RoutingDirectory, ticket: TicketRow, customer: CustomerFacts | undefined, opts: TargetOpts) {
  const target = targetOf(dir, ticket, customer, opts);
  return [...target.agentIds, ...(target.teamId !== null ? (dir.teams.get(target.teamId)?.memberIds ?? []) : [])];
}
