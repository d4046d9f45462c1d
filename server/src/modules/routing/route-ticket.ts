import type { AssignmentCandidate, RoutingStrategy } from "@loopdesk/contracts/routing";
import type { Transaction } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { typicalHandlingMinutes } from "../analytics/typical-handling";
import { customerRoutingFacts } from "../customers/customer-service";
import type { TeamRouting } from "../directory/team-service";
import { changeTicket, diffTicketFields, writeTicketChanges } from "../tickets/change-ticket";
import { type Actor, systemActor } from "../tickets/ticket-events";
import { lockTickets, setRoutingState } from "../tickets/ticket-routing-state";
import { AgentBoard } from "./agent-board";
import { type RouteTrigger, routeLater } from "./route-later";
import { type DecisionInput, loggedCandidates, recordDecision, recordDecisions } from "./assignment-log";
import { type Claim, type Handling, claimAgents, evaluateAgents } from "./eligible-agents";
import { type RoutingDirectory, routingDirectory } from "./routing-directory";
import { type CustomerFacts, fallbackChain, targetOf, teamMembersFor } from "./routing-targets";
import { type Candidate, rankCandidates } from "./strategies";

/** deferred: left to a decision of its own right after this run commits (every agent it could take was busy in another transaction). */
export type RouteResult = {
  outcome: "assigned" | "offered" | "queued" | "manual" | "skipped" | "deferred";
  staffId?: number;
  teamId?: number | null;
};

const handlingCache = new WeakMap<object, { at: number; value: Promise<Handling> }>();
function handlingMinutes(ctx: AppContext, via: Transaction<DB>): Promise<Handling> {
  const hit = handlingCache.get(ctx.db);
  if (hit && Date.now() - hit.at < 600_000) return hit.value;
  const value = typicalHandlingMinutes(via);
  handlingCache.set(ctx.db, { at: Date.now(), value });
  return value;
}

/** Rounds of choosing again for tickets whose chosen agent was busy (another transaction is assigning to them) or filled up meanwhile. */
const MAX_ROUNDS = 6;
const WAIT_FROM_ROUND = 2;

export type RouteOpts = { trigger: RouteTrigger; actor?: Actor; now?: Date; teamId?: number };

/** One routing decision (see routeTickets). */
export async function routeTicket(ctx: AppContext, trx: Transaction<DB>, ticketId: number, opts: RouteOpts): Promise<RouteResult> {
  return (await routeTickets(ctx, trx, [ticketId], opts)).get(ticketId) ?? { outcome: "skipped" };
}

/**
 * Routing decisions for a run of tickets, atomic in the caller's transaction. The tickets' rows
 * are locked (in id order), so of any number of concurrent decisions (several processes, claims,
 * manual assignment) exactly one finds a ticket unassigned. Each ticket is decided in turn against
 * the agents' states as the run has changed them; the assignments are then written together: the
 * agents are claimed under their row locks (capacity re-checked on the newest counts), the tickets
 * changed with their history and domain events, and the decisions logged — a handful of
 * statements for the whole run. A ticket whose agent filled up meanwhile is decided again.
 * `opts.teamId`: route within this team (a transfer to a team) instead of asking the rules.
 */
export async function routeTickets(ctx: AppContext, trx: Transaction<DB>, ticketIds: number[], opts: RouteOpts) {
  const now = opts.now ?? new Date();
  const actor = opts.actor ?? systemActor;
  const results = new Map<number, RouteResult>();
  let pending: TicketRow[] = [];
  for (const ticket of await lockTickets(trx, ticketIds)) {
    if (routable(ticket, opts.trigger, now)) pending.push(ticket);
    else results.set(ticket.id, { outcome: "skipped" });
  }
  if (pending.length === 0) return results;
  const dir = await routingDirectory(ctx.db, trx);
  // The customers are read only when some rule looks at the customer.
  const needsCustomer = dir.rules.some(
    (r) => r.conditions.tiers?.length || r.conditions.languages?.length || r.conditions.customerFields?.length,
  );
  const customers: Map<number, CustomerFacts> = needsCustomer
    ? await customerRoutingFacts(trx, [...new Set(pending.map((t) => t.customer_id))])
    : new Map();
  const run: Run = {
    ctx,
    trx,
    dir,
    board: new AgentBoard(trx, ctx.db),
    actor,
    opts,
    evalOpts: { now, timeZone: ctx.config.timeZone, handling: await handlingMinutes(ctx, trx) },
    planned: [],
    busy: new Set(),
    holdsClaims: false,
    waitAll: false,
    deferred: [],
    queued: [],
  };
  // The members of every team the run will look at first, read in one query.
  await run.board.get(pending.flatMap((t) => teamMembersFor(dir, t, customers.get(t.customer_id), opts)));
  for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
    run.planned = [];
    // A run holding no agent rows may wait for a busy agent without risk of deadlock: after two rounds of being passed by, it does.
    if (round >= WAIT_FROM_ROUND && !run.holdsClaims) {
      run.busy.clear();
      run.waitAll = true;
    }
    for (const ticket of pending) {
      const result = await decide(run, ticket, customers.get(ticket.customer_id));
      if (result) results.set(ticket.id, result);
    }
    const refused = await writeAssignments(run);
    for (const p of run.planned)
      if (!refused.includes(p)) results.set(p.ticket.id, { outcome: "assigned", staffId: p.staffId, teamId: p.teamId });
    // The refused agents are read again (their bookings in this run did not happen).
    run.board.forget(refused.map((p) => p.staffId));
    pending = refused.map((p) => p.ticket);
  }
  await writeQueued(run);
  // Still contended after several rounds, or only busy agents could take it while this run holds
  // agents of its own (waiting then could deadlock with a run waiting for ours): decided on its own.
  const later = [...run.deferred, ...pending].map((t) => t.id);
  // A deferred decision keeps the team a transfer named and who asked for it.
  await routeLater(trx, later, opts.trigger, { teamId: opts.teamId, actor: opts.actor });
  for (const id of later) results.set(id, { outcome: "deferred" });
  return results;
}

/** Whether this trigger may route the ticket now. */
function routable(ticket: TicketRow, trigger: RouteTrigger, now: Date) {
  if (ticket.assignee_id !== null || ["solved", "closed"].includes(ticket.status)) return false;
  // A repeat of another open ticket is never dispatched on its own: an agent merges it or clears the flag.
  if (ticket.duplicate_of_id !== null) return false;
  if (ticket.routing_status === "manual" && trigger === "waiting") return false;
  if (ticket.routing_status === "offered" && trigger === "waiting" && ticket.offered_until && ticket.offered_until > now) return false;
  return true;
}

type Base = { ticketId: number; round: number; actor: Actor; details: Record<string, unknown> };
/** wait: every eligible agent was busy, so the claim waits for the agent's row instead of passing them over. */
type Planned = { ticket: TicketRow; staffId: number; teamId: number | null; base: Base; decision: DecisionInput; wait: boolean };
type Run = {
  ctx: AppContext;
  trx: Transaction<DB>;
  dir: RoutingDirectory;
  board: AgentBoard;
  actor: Actor;
  opts: RouteOpts;
  evalOpts: { now: Date; timeZone: string; handling: Handling };
  /** Assignments chosen in this round, written together by writeAssignments. */
  planned: Planned[];
  /** Agents another transaction was assigning to when this run tried to claim them: others are preferred. */
  busy: Set<number>;
  /** Whether this run has taken agents' rows (then it never waits for another's). */
  holdsClaims: boolean;
  waitAll: boolean;
  deferred: TicketRow[];
  /** Tickets that wait (in a queue, or for a person to assign them by hand), written together at the end of the run. */
  queued: { ticketId: number; status: "queued" | "manual"; decision: DecisionInput }[];
};

/**
 * The strategy's choice, preferring agents not busy elsewhere right now, and the eligible agents in
 * the strategy's order (for the log).
 */
function choose(run: Run, strategy: RoutingStrategy, eligible: Candidate[]) {
  const ranked = rankCandidates(strategy, eligible);
  const best = ranked.find((c) => !run.busy.has(c.staffId)) ?? ranked[0];
  if (!best) return undefined;
  return { staffId: best.staffId, wait: run.busy.has(best.staffId) || run.waitAll, ranked: ranked.map((c) => c.staffId) };
}

/** Books the agent for the ticket in this run; written (or refused by the database) with the run's other assignments. */
function plan(
  run: Run,
  ticket: TicketRow,
  pick: { staffId: number; wait: boolean; ranked: number[] },
  teamId: number | null,
  base: Base,
  decision: Omit<DecisionInput, keyof Base | "staffId" | "candidates"> & { considered: AssignmentCandidate[] },
) {
  if (pick.wait && run.holdsClaims) {
    run.deferred.push(ticket);
    return { outcome: "deferred" as const };
  }
  run.board.book(pick.staffId, ticket, new Date());
  const { considered, ...rest } = decision;
  const logged = loggedCandidates(considered, pick.ranked);
  run.planned.push({
    ticket,
    staffId: pick.staffId,
    teamId,
    base,
    wait: pick.wait,
    decision: {
      ...base,
      ...rest,
      details: logged.moreEligible ? { ...base.details, moreEligible: logged.moreEligible } : base.details,
      candidates: logged.candidates,
      staffId: pick.staffId,
    },
  });
  return undefined;
}

/**
 * Decides one ticket: assignments are planned (the caller writes them); an offer, a queue place
 * or a manual wait is written at once and returned.
 */
async function decide(run: Run, ticket: TicketRow, customer: CustomerFacts | undefined): Promise<RouteResult | undefined> {
  const { ctx, trx, dir, opts, actor } = run;
  const target = targetOf(dir, ticket, customer, opts);
  const base: Base = { ticketId: ticket.id, round: ticket.routing_round + 1, actor, details: { ...target.details, trigger: opts.trigger } };
  const evalOpts = { ...run.evalOpts, exclude: ticket.routing_excluded };
  const considered: AssignmentCandidate[] = [];

  // Green channel: straight to the named agents, the least loaded first.
  if (target.agentIds.length) {
    const { eligible, considered: c } = await evaluateAgents(run.board, dir, target.agentIds, ticket, {
      ...evalOpts,
      requireSkills: false,
    });
    considered.push(...c);
    const pick = choose(run, "least_loaded", eligible);
    if (pick)
      return plan(run, ticket, pick, target.teamId, base, {
        outcome: "assigned",
        teamId: target.teamId,
        strategy: "least_loaded",
        reason: target.reason,
        considered: c,
      });
  }

  if (target.teamId === null || dir.teams.get(target.teamId)?.strategy === "manual") {
    // No team to route to, or a team that dispatches by hand: it waits for a person to assign it.
    const teamId = target.teamId;
    const reason = teamId === null && target.agentIds.length ? "green_channel_unavailable" : target.reason;
    if (ticket.routing_status === "manual" && ticket.team_id === teamId) return { outcome: "manual", teamId };
    if (teamId !== ticket.team_id) await changeTicket(ctx, trx, ticket, { teamId }, actor, routingSource(reason));
    run.queued.push({
      ticketId: ticket.id,
      status: "manual",
      decision: {
        ...base,
        outcome: "manual",
        teamId,
        staffId: null,
        strategy: teamId === null ? null : "manual",
        reason,
        candidates: considered,
      },
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
    const { eligible, considered: c } = await evaluateAgents(run.board, dir, t.memberIds, ticket, {
      ...evalOpts,
      // Only skill-based teams insist on the category's skills; the other strategies share work among all members.
      requireSkills: strategy === "skill",
    });
    considered.push(...c);
    if (eligible.length === 0) continue;
    const reason = i === 0 ? target.reason : "fallback_team";
    const details = i === 0 ? base.details : { ...base.details, fromTeamId: team.teamId };
    if (offer) {
      const until = new Date(evalOpts.now.getTime() + t.claimTimeoutMinutes * 60_000);
      await changeTicket(ctx, trx, ticket, { teamId: t.teamId }, actor, routingSource(reason));
      await setRoutingState(trx, ticket.id, { routingStatus: "offered", offeredUntil: until });
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
        aggregateId: ticket.id,
        payload: { ticketId: ticket.id, teamId: t.teamId, staffIds: eligible.map((e) => e.staffId) },
      });
      return { outcome: "offered", teamId: t.teamId };
    }
    const pick = choose(run, strategy, eligible);
    if (pick)
      return plan(
        run,
        ticket,
        pick,
        t.teamId,
        { ...base, details },
        {
          outcome: "assigned",
          teamId: t.teamId,
          strategy,
          reason,
          considered: [...considered],
        },
      );
  }
  return queue(run, ticket, base, team.teamId, "nobody_available", considered);
}

const routingSource = (reason: string) => ({ kind: "routing" as const, id: 0, name: reason });

/**
 * Writes the round's planned assignments: claims every chosen agent for their new tickets at once
 * (refused when the database's counts say they are full), then changes the tickets of the agents
 * taken, with history and domain events, and logs those decisions. Returns the refused ones.
 */
async function writeAssignments(run: Run): Promise<Planned[]> {
  if (run.planned.length === 0) return [];
  // One claim per agent, for all their tickets of the round; it waits for the agent's row if any of them must.
  const claims = new Map<number, Claim & { wait: boolean }>();
  for (const p of run.planned) {
    const c = claims.get(p.staffId) ?? { staffId: p.staffId, tickets: 0, byChannel: {}, wait: false };
    c.tickets += 1;
    c.byChannel[p.ticket.channel] = (c.byChannel[p.ticket.channel] ?? 0) + 1;
    c.wait ||= p.wait;
    claims.set(p.staffId, c);
  }
  const all = [...claims.values()];
  const taken = new Set<number>();
  for (const wait of [false, true]) {
    const result = await claimAgents(
      run.trx,
      all.filter((c) => c.wait === wait),
      { skipLocked: !wait },
    );
    for (const id of result.taken) taken.add(id);
    if (result.taken.size) run.holdsClaims = true;
    for (const id of result.busy) run.busy.add(id);
  }
  const done = run.planned.filter((p) => taken.has(p.staffId));
  await writeTicketChanges(
    run.ctx,
    run.trx,
    done.map((p) => ({
      current: p.ticket,
      ...diffTicketFields(p.ticket, { assigneeId: p.staffId, ...(p.teamId !== null ? { teamId: p.teamId } : {}) }),
      routing: { routingStatus: "assigned", routingRound: p.ticket.routing_round + 1, offeredUntil: null },
    })),
    run.actor,
    routingSource("assigned"),
  );
  await recordDecisions(
    run.trx,
    done.map((p) => p.decision),
  );
  return run.planned.filter((p) => !taken.has(p.staffId));
}

/**
 * Nobody can take the ticket now: it waits in its team's queue (or the shared queue) and is
 * assigned as soon as someone is available. Logged once per change, not on every retry.
 */
async function queue(
  run: Run,
  ticket: TicketRow,
  base: Base,
  teamId: number | null,
  reason: string,
  considered: AssignmentCandidate[],
): Promise<RouteResult> {
  if (ticket.routing_status === "queued" && ticket.team_id === teamId) return { outcome: "queued", teamId };
  if (teamId !== ticket.team_id) await changeTicket(run.ctx, run.trx, ticket, { teamId }, run.actor, routingSource(reason));
  run.queued.push({
    ticketId: ticket.id,
    status: "queued",
    decision: { ...base, outcome: "queued", teamId, staffId: null, strategy: null, reason, candidates: considered },
  });
  return { outcome: "queued", teamId };
}

/**
 * The run's waiting tickets marked (queued, or manual: for a person to assign) and their decisions
 * logged, a few statements however many (a burst with nobody free, or no team to route to).
 */
async function writeQueued(run: Run) {
  if (run.queued.length === 0) return;
  for (const status of ["queued", "manual"] as const) {
    const ids = run.queued.filter((q) => q.status === status).map((q) => q.ticketId);
    if (ids.length) await setRoutingState(run.trx, ids, { routingStatus: status, offeredUntil: null });
  }
  await recordDecisions(
    run.trx,
    run.queued.map((q) => q.decision),
  );
}
