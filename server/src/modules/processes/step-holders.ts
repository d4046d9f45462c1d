import type { StepOwner, StepNode } from "@loopdesk/contracts/processes";
import type { Transaction } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import type { Executor } from "../../platform/jobs/job-queue";
import { addBusinessMinutes } from "../sla/business-calendar";
import { calendarsById, listCalendars } from "../sla/calendar-service";
import { pickTeamMember } from "../routing/pick-team-member";
import { routingDirectory } from "../routing/routing-directory";

/** Who holds a task: a person, or a pool (a department, a team, or a role within a department). */
export type Holder = {
  kind: "task" | "customer";
  departmentId: number | null;
  teamId: number | null;
  role: string | null;
  assigneeId: number | null;
  /** Why it is not where the design put it (owner_missing, no_assignee). */
  note: string | null;
};

const pool = (departmentId: number | null, extra: Partial<Holder> = {}): Holder => ({
  kind: "task",
  departmentId,
  teamId: null,
  role: null,
  assigneeId: null,
  note: null,
  ...extra,
});

/** An owner that no longer exists sends the task to the ticket department's supervisors, saying why — never a stuck instance. */
const toSupervisors = (ticket: Pick<TicketRow, "department_id">, note: string): Holder =>
  pool(ticket.department_id, { role: "supervisor", note });

/** Where a step with this owner goes for this ticket now. */
export async function resolveHolder(ctx: AppContext, trx: Transaction<DB>, ticket: TicketRow, owner: StepOwner): Promise<Holder> {
  // Who and what exists, from routing's cached directory (no query per step).
  const dir = await routingDirectory(ctx.db, trx);
  const departmentExists = async (_db: unknown, id: number) => dir.parentOf.has(id);
  const staffExists = async (_db: unknown, id: number) => dir.staff.get(id)?.active === true;
  switch (owner.type) {
    case "customer":
      return { kind: "customer", departmentId: null, teamId: null, role: null, assigneeId: null, note: null };
    case "department":
      return (await departmentExists(trx, owner.departmentId)) ? pool(owner.departmentId) : toSupervisors(ticket, "owner_missing");
    case "role": {
      const departmentId = owner.departmentId ?? ticket.department_id;
      if (departmentId !== null && !(await departmentExists(trx, departmentId))) return toSupervisors(ticket, "owner_missing");
      return pool(departmentId, { role: owner.role });
    }
    case "staff": {
      if (!(await staffExists(trx, owner.staffId))) return toSupervisors(ticket, "owner_missing");
      return pool(null, { assigneeId: owner.staffId });
    }
    case "assignee":
      if (ticket.assignee_id !== null && (await staffExists(trx, ticket.assignee_id)))
        return pool(ticket.department_id, { assigneeId: ticket.assignee_id });
      return pool(ticket.department_id, { note: "no_assignee" });
    case "team": {
      const picked = await pickTeamMember(ctx, trx, owner.teamId, ticket);
      if (!picked) return toSupervisors(ticket, "owner_missing");
      return pool(picked.departmentId, { teamId: owner.teamId, assigneeId: picked.staffId });
    }
  }
}

/** When a step is due: its target in working hours of its calendar (else the first calendar; else clock hours). */
export async function stepDue(db: Executor, node: StepNode, from: Date) {
  if (!node.target) return { dueAt: null, warnAt: null };
  const calendarId = node.target.calendarId ?? (await listCalendars(db))[0]?.id ?? null;
  const calendar = calendarId !== null ? (await calendarsById(db, [calendarId])).get(calendarId) : undefined;
  const minutes = Math.round(node.target.hours * 60);
  const dueAt = calendar ? addBusinessMinutes(calendar, from, minutes) : new Date(from.getTime() + minutes * 60_000);
  const warnAt = new Date(dueAt.getTime() - node.target.warnBeforeMinutes * 60_000);
  return { dueAt, warnAt: warnAt < from ? from : warnAt };
}
