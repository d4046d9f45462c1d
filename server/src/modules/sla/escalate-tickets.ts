import type { EscalationStep } from "@loopdesk/contracts/sla";
import type { Transaction } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { notifyStaff } from "../notifications/notification-service";
import { supervisorIdsFor } from "../staff/staff-service";
import { changeTicket } from "../tickets/change-ticket";
import { emitTicketEvent } from "../tickets/emit-ticket-event";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";
import { raisedPriority } from "../tickets/ticket-lifecycle";
import { lockTicket } from "../tickets/ticket-lookup";
import { listPolicies } from "./policy-service";
import { lockTicketSla } from "./recompute-ticket-sla";

/**
 * Runs the escalation steps that have come due on breached clocks: notify the assignee, then the
 * supervisors, then raise the priority or reassign — each step once per clock cycle, recorded on
 * the ticket and announced as `ticket.escalated`. The step counter moves in the same transaction
 * as the step's effects, under the ticket's SLA lock, so a crash or a second sweep never repeats
 * or loses a step.
 */
export async function escalateDueClocks(ctx: AppContext, trx: Transaction<DB>, ticketIds: number[], now = new Date()) {
  if (ticketIds.length === 0) return;
  await lockTicketSla(trx, ticketIds);
  const due = await trx
    .selectFrom("ticket_sla")
    .selectAll()
    .where("ticket_id", "in", ticketIds)
    .where("escalate_at", "<=", now)
    .orderBy("ticket_id")
    .orderBy("target")
    .execute();
  if (due.length === 0) return;
  const policies = new Map((await listPolicies(trx)).map((p) => [p.id, p]));
  for (const clock of due) {
    const steps = clock.policy_id ? (policies.get(clock.policy_id)?.escalation ?? []) : [];
    let ticket = await lockTicket(trx, clock.ticket_id);
    if (!ticket || !clock.due_at) continue;
    let step = clock.escalation_step;
    const dueAt = clock.due_at;
    const stepAt = (s: EscalationStep) => new Date(dueAt.getTime() + s.afterMinutes * 60_000);
    for (let s = steps[step]; s && stepAt(s) <= now; s = steps[step]) {
      ticket = await runStep(ctx, trx, ticket, s, step + 1, clock.target, clock.policy_id ?? 0);
      step++;
    }
    const next = steps[step];
    await trx
      .updateTable("ticket_sla")
      .set({ escalation_step: step, escalate_at: next ? stepAt(next) : null })
      .where("ticket_id", "=", clock.ticket_id)
      .where("target", "=", clock.target)
      .execute();
  }
}

async function runStep(
  ctx: AppContext,
  trx: Transaction<DB>,
  ticket: TicketRow,
  s: EscalationStep,
  number: number,
  target: string,
  policyId: number,
) {
  const source = { kind: "escalation" as const, id: policyId, name: `${target} #${number}` };
  const data = { target, step: number, action: s.action };
  let updated = ticket;
  switch (s.action) {
    case "notify_assignee": {
      // Nobody assigned: the step still reaches someone responsible.
      const to = ticket.assignee_id ? [ticket.assignee_id] : await supervisorIdsFor(trx, ticket.department_id);
      await notifyStaff(ctx, trx, to, { type: "escalated", ticketId: ticket.id, data });
      break;
    }
    case "notify_supervisors":
      await notifyStaff(ctx, trx, await supervisorIdsFor(trx, ticket.department_id), { type: "escalated", ticketId: ticket.id, data });
      break;
    case "raise_priority":
      updated = await changeTicket(ctx, trx, ticket, { priority: raisedPriority(ticket.priority) }, systemActor, source);
      break;
    case "reassign": {
      const changes = { ...(s.departmentId !== null ? { departmentId: s.departmentId } : {}), assigneeId: s.staffId };
      updated = await changeTicket(ctx, trx, ticket, changes, systemActor, source);
      const to = s.staffId !== null ? [s.staffId] : await supervisorIdsFor(trx, s.departmentId);
      await notifyStaff(ctx, trx, to, { type: "escalated", ticketId: ticket.id, data });
      break;
    }
  }
  await recordTicketEvents(trx, ticket.id, systemActor, [
    { type: "escalated", field: target, data: { step: number, action: s.action, afterMinutes: s.afterMinutes } },
  ]);
  await emitTicketEvent(ctx, trx, "ticket.escalated", updated, data);
  return updated;
}
