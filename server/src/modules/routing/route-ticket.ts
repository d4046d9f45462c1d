import type { AssignmentCandidate, RoutingStrategy } from "@loopdesk/contracts/routing";
import type { Transaction } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { typicalHandlingMinutes } from "../analytics/typical-handling";
import { customerRoutingFacts } from "../customers/customer-service";
import type { TeamRouting } from "../directory/team-service";
import { changeTicket } from "../tickets/change-ticket";
import { type Actor, systemActor } from "../tickets/ticket-events";
import { lockTicket, setRoutingState } from "../tickets/ticket-routing-state";
import { recordDecision } from "./assignment-log";
import { type Handling, claimCapacity, evaluateAgents } from "./eligible-agents";
import { type RoutingDirectory, routingDirectory } from "./routing-directory";
import { type RoutingFacts, ruleMatches } from "./routing-rules-service";
import { rankCandidates } from "./strategies";

export type RouteTrigger = "created" | "waiting" | "claim_timeout" | "rejected" | "returned" | "transferred" | "manual";
export type RouteResult = { outcome: "assigned" | "offered" | "queued" | "manual" | "skipped"; staffId?: number; teamId?: number | null };

/** Where the rules send a ticket: named agents (green channel), a team, or nowhere (the shared queue). */
type Target = { teamId: number | null; agentIds: number[]; reason: string; details: Record<string, unknown> };

export function selectTarget(dir: RoutingDirectory, facts: RoutingFacts): Target {
  for (const rule of dir.rules) {
    if (!ruleMatches(rule.conditions, facts)) continue;
    const details = { ruleId: rule.id, ruleName: rule.name };
    if (rule.teamId !== null && !dir.teams.has(rule.teamId))
      // The rule points at a team that is gone: the default queue, and the log says why.
      return { ...defaultTarget(dir), reason: "rule_team_missing", details: { ...details, missingTeamId: rule.teamId } };
    return { teamId: rule.teamId, agentIds: rule.agentIds, reason: rule.agentIds.length ? "green_channel" : "rule_matched", details };
  }
  return defaultTarget(dir);
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

const handlingCache = new WeakMap<object, { at: number; value: Promise<Handling> }>();
function handlingMinutes(ctx: AppContext, via: Transaction<DB>): Promise<Handling> {
  const hit = handlingCache.get(ctx.db);
  if (hit && Date.now() - hit.at < 600_000) return hit.value;
  const value = typicalHandlingMinutes(via);
  handlingCache.set(ctx.db, { at: Date.now(), value });
  return value;
}

/**
 * One routing decision, atomic in the caller's transaction: the ticket's row is locked, so of
 * any number of concurrent decisions (several processes, claims, manual assignment) exactly one
 * finds it unassigned; the winner's agent row is locked before capacity is checked again.
 */
export async function routeTicket(
  ctx: AppContext,
  trx: Transaction<DB>,
  ticketId: number,
  /** teamId: route within this team (a transfer to a team) instead of asking the rules. */
  opts: { trigger: RouteTrigger; actor?: Actor; now?: Date; teamId?: number },
): Promise<RouteResult> {
  const now = opts.now ?? new Date();
  const actor = opts.actor ?? systemActor;
  const ticket = await lockTicket(trx, ticketId);
  if (!ticket || ticket.assignee_id !== null || ["solved", "closed"].includes(ticket.status)) return { outcome: "skipped" };
  // A repeat of another open ticket is never dispatched on its own: an agent merges it or clears the flag.
  if (ticket.duplicate_of_id !== null) return { outcome: "skipped" };
  if (ticket.routing_status === "manual" && opts.trigger === "waiting") return { outcome: "skipped" };
  if (ticket.routing_status === "offered" && opts.trigger === "waiting" && ticket.offered_until && ticket.offered_until > now)
    return { outcome: "skipped" };
  const dir = await routingDirectory(ctx.db, trx);
  // The customer is read only when some rule looks at the customer.
  const needsCustomer = dir.rules.some(
    (r) => r.conditions.tiers?.length || r.conditions.languages?.length || r.conditions.customerFields?.length,
  );
  const customer = needsCustomer ? (await customerRoutingFacts(trx, [ticket.customer_id])).get(ticket.customer_id) : undefined;
  const facts: RoutingFacts = {
    categoryId: ticket.category_id,
    channel: ticket.channel,
    tier: customer?.tier ?? "normal",
    priority: ticket.priority,
    language: customer?.locale ?? "zh-CN",
    ticketFields: ticket.custom_fields,
    customerFields: customer?.customFields ?? {},
  };
  const target: Target =
    opts.teamId !== undefined && dir.teams.has(opts.teamId)
      ? { teamId: opts.teamId, agentIds: [], reason: opts.trigger, details: {} }
      : selectTarget(dir, facts);
  const round = ticket.routing_round + 1;
  const base = { ticketId, round, actor, details: { ...target.details, trigger: opts.trigger } };
  const handling = await handlingMinutes(ctx, trx);
  const evalOpts = { now, timeZone: ctx.config.timeZone, exclude: ticket.routing_excluded, handling };
  const considered: AssignmentCandidate[] = [];

  // Green channel: straight to the named agents, the least loaded first.
  if (target.agentIds.length) {
    const { eligible, considered: c } = await evaluateAgents(trx, dir, target.agentIds, ticket, { ...evalOpts, requireSkills: false });
    considered.push(...c);
    const won = await tryAssign(ctx, trx, ticket, rankCandidates("least_loaded", eligible), target.teamId, actor);
    if (won !== null) {
      await recordDecision(trx, {
        ...base,
        outcome: "assigned",
        teamId: target.teamId,
        staffId: won,
        strategy: "least_loaded",
        reason: target.reason,
        candidates: c,
      });
      return { outcome: "assigned", staffId: won, teamId: target.teamId };
    }
  }

  if (target.teamId === null || dir.teams.get(target.teamId)?.strategy === "manual") {
    // No team to route to, or a team that dispatches by hand: it waits for a person to assign it.
    const teamId = target.teamId;
    const reason = teamId === null && target.agentIds.length ? "green_channel_unavailable" : target.reason;
    if (ticket.routing_status === "manual" && ticket.team_id === teamId) return { outcome: "manual", teamId };
    if (teamId !== ticket.team_id) await changeTicket(ctx, trx, ticket, { teamId }, actor, routingSource(reason));
    await setRoutingState(trx, ticketId, { routingStatus: "manual", offeredUntil: null });
    await recordDecision(trx, {
      ...base,
      outcome: "manual",
      teamId,
      staffId: null,
      strategy: teamId === null ? null : "manual",
      reason,
      candidates: considered,
    });
    return { outcome: "manual", teamId };
  }
  const team = dir.teams.get(target.teamId) as TeamRouting;

  const chain = fallbackChain(dir, team.teamId);
  for (const [i, t] of chain.entries()) {
    // Fallback teams that dispatch by hand are skipped; a claim team falls back to automatic assignment when its offer ran out.
    if (i > 0 && t.strategy === "manual") continue;
    const offer = i === 0 && t.strategy === "claim" && opts.trigger !== "claim_timeout";
    const strategy: RoutingStrategy = t.strategy === "claim" || t.strategy === "manual" ? "least_loaded" : t.strategy;
    const { eligible, considered: c } = await evaluateAgents(trx, dir, t.memberIds, ticket, {
      ...evalOpts,
      // Only skill-based teams insist on the category's skills; the other strategies share work among all members.
      requireSkills: strategy === "skill",
    });
    considered.push(...c);
    if (eligible.length === 0) continue;
    const reason = i === 0 ? target.reason : "fallback_team";
    const details = i === 0 ? base.details : { ...base.details, fromTeamId: team.teamId };
    if (offer) {
      const until = new Date(now.getTime() + t.claimTimeoutMinutes * 60_000);
      await changeTicket(ctx, trx, ticket, { teamId: t.teamId }, actor, routingSource(reason));
      await setRoutingState(trx, ticketId, { routingStatus: "offered", offeredUntil: until });
      await recordDecision(trx, {
        ...base,
        details: { ...details, offeredUntil: until.toISOString() },
        outcome: "offered",
        teamId: t.teamId,
        staffId: null,
        strategy: "claim",
        reason,
        candidates: c,
      });
      await ctx.events.emit(trx, {
        type: "ticket.offered",
        aggregateType: "ticket",
        aggregateId: ticketId,
        payload: { ticketId, teamId: t.teamId, staffIds: eligible.map((e) => e.staffId) },
      });
      return { outcome: "offered", teamId: t.teamId };
    }
    const won = await tryAssign(ctx, trx, ticket, rankCandidates(strategy, eligible), t.teamId, actor);
    if (won !== null) {
      await recordDecision(trx, {
        ...base,
        details,
        outcome: "assigned",
        teamId: t.teamId,
        staffId: won,
        strategy,
        reason,
        candidates: considered,
      });
      return { outcome: "assigned", staffId: won, teamId: t.teamId };
    }
  }
  return queue(ctx, trx, ticket, base, team.teamId, "nobody_available", considered, actor);
}

const routingSource = (reason: string) => ({ kind: "routing" as const, id: 0, name: reason });

/**
 * Tries the ranked agents in order; the first whose capacity still holds under lock gets the
 * ticket. First pass: agents another decision is assigning to this instant are passed over (no
 * waiting behind each other); if that leaves nobody, those are tried again, waiting for the lock.
 * The caller records the decision (which also marks the winner's last assignment).
 */
async function tryAssign(
  ctx: AppContext,
  trx: Transaction<DB>,
  ticket: TicketRow,
  ranked: { staffId: number }[],
  teamId: number | null,
  actor: Actor,
): Promise<number | null> {
  const busy: { staffId: number }[] = [];
  for (const pass of [ranked, busy]) {
    for (const c of pass) {
      const ok = await claimCapacity(trx, c.staffId, ticket.channel, { skipLocked: pass === ranked });
      if (ok === "locked") busy.push(c);
      if (ok !== true) continue;
      await changeTicket(
        ctx,
        trx,
        ticket,
        { assigneeId: c.staffId, ...(teamId !== null ? { teamId } : {}) },
        actor,
        routingSource("assigned"),
        {
          routingStatus: "assigned",
          routingRound: ticket.routing_round + 1,
          offeredUntil: null,
        },
      );
      return c.staffId;
    }
  }
  return null;
}

/**
 * Nobody can take the ticket now: it waits in its team's queue (or the shared queue) and is
 * assigned as soon as someone is available. Logged once per change, not on every retry.
 */
async function queue(
  ctx: AppContext,
  trx: Transaction<DB>,
  ticket: TicketRow,
  base: { ticketId: number; round: number; actor: Actor; details: Record<string, unknown> },
  teamId: number,
  reason: string,
  considered: AssignmentCandidate[],
  actor: Actor,
): Promise<RouteResult> {
  if (ticket.routing_status === "queued" && ticket.team_id === teamId) return { outcome: "queued", teamId };
  if (teamId !== ticket.team_id) await changeTicket(ctx, trx, ticket, { teamId }, actor, routingSource(reason));
  await setRoutingState(trx, ticket.id, { routingStatus: "queued", offeredUntil: null });
  await recordDecision(trx, { ...base, outcome: "queued", teamId, staffId: null, strategy: null, reason, candidates: considered });
  return { outcome: "queued", teamId };
}
