import type { TransferOutcome, transferTicketBody } from "@loopdesk/contracts/routing";
import type { Transaction } from "kysely";
import type { z } from "zod";
import type { DB, TicketRow } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { departmentExists } from "../directory/department-service";
import { getStaff } from "../staff/staff-service";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { changeTicket } from "../tickets/change-ticket";
import { emitTicketEvent } from "../tickets/emit-ticket-event";
import { actorOf } from "../tickets/ticket-events";
import { lockTicket, setRoutingState } from "../tickets/ticket-routing-state";
import { agentStatesChanged } from "./agent-state-service";
import { recordDecision } from "./assignment-log";
import { routeTicket } from "./route-ticket";
import { type RoutingDirectory, invalidateRoutingDirectory, routingDirectory } from "./routing-directory";
import { departmentTeam } from "./routing-targets";
import { isOnShift } from "./shifts";

type TransferInput = z.output<typeof transferTicketBody>;
type Placement = { departmentId: number | null; teamId: number | null; assigneeId: number | null };

const invalid = (path: string, code: string, message: string) => ValidationError([{ path, code, message }]);

/**
 * Where a transfer puts the ticket. The rule: the assignee is kept only when the transfer names
 * them. A named person takes the ticket in the department given (else their own, when the
 * ticket's is not theirs) and their team there; a team brings its department; a department alone
 * goes to its team (the one that takes the department's tickets), or waits in its queue.
 */
async function placementOf(db: Executor, dir: RoutingDirectory, ticket: TicketRow, input: TransferInput): Promise<Placement> {
  const team = input.teamId != null ? dir.teams.get(input.teamId) : undefined;
  if (input.teamId != null && !team) throw invalid("teamId", "unknown_reference", "Unknown team.");
  if (input.departmentId !== undefined && !(await departmentExists(db, input.departmentId)))
    throw invalid("departmentId", "unknown_reference", "Unknown department.");
  if (team && input.departmentId !== undefined && team.departmentId !== input.departmentId)
    throw invalid("teamId", "team_not_in_department", "The team belongs to another department.");
  const person = input.assigneeId != null ? await getStaff(db, input.assigneeId).catch(() => null) : null;
  if (input.assigneeId != null && !person?.active) throw invalid("assigneeId", "unknown_reference", "Unknown staff member.");

  const departmentId =
    input.departmentId ??
    team?.departmentId ??
    (person && ticket.department_id !== null && !person.departmentIds.includes(ticket.department_id)
      ? (person.departmentIds[0] ?? ticket.department_id)
      : ticket.department_id);
  let teamId: number | null;
  if (input.teamId !== undefined) teamId = input.teamId;
  else if (person) {
    const theirs = [...dir.teams.values()].filter((t) => t.memberIds.includes(person.id));
    const here = theirs.filter((t) => t.departmentId === departmentId);
    teamId = (here.find((t) => t.teamId === ticket.team_id) ?? here[0] ?? theirs[0])?.teamId ?? null;
  } else if (departmentId !== ticket.department_id) teamId = departmentTeam(dir, departmentId)?.teamId ?? null;
  else teamId = ticket.team_id;
  const placement = { departmentId, teamId, assigneeId: person?.id ?? null };
  if (
    placement.departmentId === ticket.department_id &&
    placement.teamId === ticket.team_id &&
    (placement.assigneeId === ticket.assignee_id || (placement.assigneeId === null && !person && input.teamId === undefined))
  )
    throw invalid("departmentId", "no_change", "The ticket is already there.");
  return placement;
}

/** Members of the team who could take a ticket now: online, on shift and under capacity. */
async function availableMembers(ctx: AppContext, db: Executor, dir: RoutingDirectory, teamId: number | null) {
  const members = teamId === null ? [] : (dir.teams.get(teamId)?.memberIds ?? []);
  if (members.length === 0) return 0;
  const now = new Date();
  const states = await agentStatesChanged(
    db,
    members,
    members.map(() => null),
  );
  return states.filter(
    (s) =>
      s.presence === "online" &&
      dir.staff.get(s.staffId)?.active &&
      isOnShift(s.shifts, s.shiftExceptions, now, ctx.config.timeZone) &&
      s.load.total < s.capacity,
  ).length;
}

async function outcomeOf(ctx: AppContext, db: Executor, dir: RoutingDirectory, p: Placement): Promise<TransferOutcome> {
  const strategy = p.teamId === null ? null : (dir.teams.get(p.teamId)?.strategy ?? null);
  return {
    ...p,
    owner: p.assigneeId !== null ? "person" : p.teamId !== null && strategy !== "manual" ? "team" : "queue",
    strategy,
    availableAgents: await availableMembers(ctx, db, dir, p.teamId),
    reasonRequired: dir.settings.transferReasonRequired,
  };
}

/** A team created a moment ago may not be in this process's copy yet (the change's notification is on its way): read afresh. */
async function directoryKnowing(ctx: AppContext, db: Executor, teamId: number | null | undefined) {
  let dir = await routingDirectory(ctx.db, db);
  if (teamId != null && !dir.teams.has(teamId)) {
    invalidateRoutingDirectory(ctx.db);
    dir = await routingDirectory(ctx.db, db);
  }
  return dir;
}

/** What a transfer would do, without doing it: the dialog shows who will own the ticket. */
export async function previewTransfer(ctx: AppContext, principal: StaffPrincipal, ticketId: number, input: TransferInput) {
  const ticket = await loadVisibleTicket(ctx.db, principal, ticketId, { need: "full" });
  const dir = await directoryKnowing(ctx, ctx.db, input.teamId);
  return outcomeOf(ctx, ctx.db, dir, await placementOf(ctx.db, dir, ticket, input));
}

/**
 * 转派: moves the ticket to a department, team or person with a reason, as one `transferred` event
 * in its history and one entry in the routing log; the new department's supervisors are told.
 * Without a named person the team's strategy picks the next owner at once (or it waits in the
 * queue). The caller stays a participant: they keep reading the ticket wherever it went.
 */
export async function transferTicket(
  ctx: AppContext,
  trx: Transaction<DB>,
  principal: StaffPrincipal,
  ticketId: number,
  input: TransferInput,
): Promise<TransferOutcome> {
  const ticket = await loadVisibleTicket(trx, principal, ticketId, { forUpdate: true, need: "full" });
  const dir = await directoryKnowing(ctx, trx, input.teamId);
  if (dir.settings.transferReasonRequired && input.reason.trim() === "")
    throw invalid("reason", "required", "Say why the ticket is transferred.");
  const target = await placementOf(trx, dir, ticket, input);
  const actor = actorOf(principal);
  await recordDecision(trx, {
    ticketId,
    round: ticket.routing_round,
    outcome: "transferred",
    teamId: target.teamId,
    staffId: target.assigneeId,
    strategy: null,
    reason: "transferred",
    details: {
      text: input.reason,
      fromStaffId: ticket.assignee_id,
      fromTeamId: ticket.team_id,
      fromDepartmentId: ticket.department_id,
      toDepartmentId: target.departmentId,
    },
    actor,
  });
  const moved = await changeTicket(
    ctx,
    trx,
    ticket,
    { departmentId: target.departmentId, teamId: target.teamId, assigneeId: target.assigneeId, transfer: { reason: input.reason } },
    actor,
  );
  if (target.assigneeId !== null) await setRoutingState(trx, ticketId, { routingRound: ticket.routing_round + 1 });
  else if (target.teamId !== null) await routeTicket(ctx, trx, ticketId, { trigger: "transferred", teamId: target.teamId });
  // No team to route to: it waits in the department's queue for a supervisor.
  else await setRoutingState(trx, ticketId, { routingStatus: "manual", offeredUntil: null });
  await emitTicketEvent(ctx, trx, "ticket.transferred", moved, {
    byKind: "staff",
    byId: principal.id,
    byName: principal.name,
    reason: input.reason,
    fromDepartmentId: ticket.department_id,
    toDepartmentId: target.departmentId,
    toTeamId: target.teamId,
  });
  const after = (await lockTicket(trx, ticketId)) as TicketRow;
  return outcomeOf(ctx, trx, dir, { departmentId: after.department_id, teamId: after.team_id, assigneeId: after.assignee_id });
}
