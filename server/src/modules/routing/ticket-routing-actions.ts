import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { AlreadyAssignedError, AtCapacityError, ForbiddenError, NotFoundError, NotOfferedError } from "../../platform/errors";
import { changeTicket } from "../tickets/change-ticket";
import { inScope, scopeFor } from "../tickets/ticket-access";
import { actorOf, systemActor } from "../tickets/ticket-events";
import { lockTicket, setRoutingState } from "../tickets/ticket-routing-state";
import { recordDecision } from "./assignment-log";
import { claimCapacity } from "./eligible-agents";
import { routeTicket } from "./route-ticket";
import { routingDirectory } from "./routing-directory";
import { isOnShift } from "./shifts";

const source = (name: string) => ({ kind: "routing" as const, id: 0, name });

/**
 * 抢单: the first eligible agent to claim an offered ticket gets it. The ticket's row lock makes
 * the claim atomic: a second claimer waits, then finds it taken (409 already_assigned).
 */
export async function claimTicket(ctx: AppContext, trx: Transaction<DB>, principal: StaffPrincipal, ticketId: number) {
  const ticket = await lockTicket(trx, ticketId);
  if (!ticket) throw NotFoundError("Ticket");
  const team = ticket.team_id === null ? undefined : (await routingDirectory(ctx.db, trx)).teams.get(ticket.team_id);
  const member = team?.memberIds.includes(principal.id) ?? false;
  // Someone who may not see the ticket learns nothing about it, not even whether it is taken.
  if (!member && !inScope(await scopeFor(trx, principal), ticket)) throw NotFoundError("Ticket");
  if (ticket.assignee_id !== null) throw AlreadyAssignedError();
  if (ticket.routing_status !== "offered" || ticket.team_id === null) throw NotOfferedError();
  if (!member) throw ForbiddenError("Only members of the ticket's team can claim it.");
  if (ticket.routing_excluded.includes(principal.id)) throw ForbiddenError("You declined this ticket.");
  if (!(await claimCapacity(trx, principal.id, ticket.channel))) throw AtCapacityError();
  const actor = actorOf(principal);
  const round = ticket.routing_round + 1;
  await changeTicket(ctx, trx, ticket, { assigneeId: principal.id }, actor, source("claimed"), {
    routingStatus: "assigned",
    routingRound: round,
    offeredUntil: null,
  });
  await recordDecision(trx, {
    ticketId,
    round,
    outcome: "claimed",
    teamId: ticket.team_id,
    staffId: principal.id,
    strategy: "claim",
    reason: "claimed",
    actor,
  });
}

/** The assignee declines (with a reason): the ticket is routed again to someone else; they are not offered it again. */
export async function rejectTicket(ctx: AppContext, trx: Transaction<DB>, principal: StaffPrincipal, ticketId: number, reason: string) {
  const ticket = await lockTicket(trx, ticketId);
  if (!ticket) throw NotFoundError("Ticket");
  if (ticket.assignee_id !== principal.id) {
    if (!inScope(await scopeFor(trx, principal), ticket)) throw NotFoundError("Ticket");
    throw ForbiddenError("Only the assignee can decline a ticket.");
  }
  const actor = actorOf(principal);
  const excluded = [...new Set([...ticket.routing_excluded, principal.id])];
  await changeTicket(ctx, trx, ticket, { assigneeId: null }, actor, source("rejected"));
  await setRoutingState(trx, ticketId, { excluded, transferCount: ticket.transfer_count + 1 });
  await recordDecision(trx, {
    ticketId,
    round: ticket.routing_round,
    outcome: "rejected",
    teamId: ticket.team_id,
    staffId: principal.id,
    strategy: null,
    reason: "declined",
    details: { text: reason },
    actor,
  });
  return routeTicket(ctx, trx, ticketId, { trigger: "rejected", ...(ticket.team_id !== null ? { teamId: ticket.team_id } : {}) });
}

/**
 * Rebalancing: an agent who went offline or off shift gives back tickets nobody has touched yet
 * (new, unanswered), which are routed again at once. Skipped if they came back meanwhile.
 */
export async function returnTicket(ctx: AppContext, trx: Transaction<DB>, ticketId: number, fromStaffId: number, now = new Date()) {
  const ticket = await lockTicket(trx, ticketId);
  if (!ticket || ticket.assignee_id !== fromStaffId || ticket.status !== "new" || ticket.first_response_at !== null) return false;
  const state = await trx.selectFrom("agent_states").selectAll().where("staff_id", "=", fromStaffId).executeTakeFirst();
  const available = state?.presence === "online" && isOnShift(state.shifts, state.shift_exceptions, now, ctx.config.timeZone);
  if (available) return false;
  const why = state?.presence === "online" ? "agent_off_shift" : "agent_offline";
  await changeTicket(ctx, trx, ticket, { assigneeId: null }, systemActor, source(why));
  await recordDecision(trx, {
    ticketId,
    round: ticket.routing_round,
    outcome: "returned",
    teamId: ticket.team_id,
    staffId: fromStaffId,
    strategy: null,
    reason: why,
    actor: systemActor,
  });
  await routeTicket(ctx, trx, ticketId, { trigger: "returned", ...(ticket.team_id !== null ? { teamId: ticket.team_id } : {}) });
  return true;
}
