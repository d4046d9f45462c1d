import type { AppContext } from "../../platform/context";
import type { DomainEvent } from "../../platform/events/event-bus";
import { supervisorIdsFor } from "../staff/staff-service";
import { notifyStaff } from "./notification-service";

type Scope = { assigneeId: number | null; departmentId: number | null };
type Payload = {
  scope?: Scope;
  byKind?: string;
  byId?: number;
  byName?: string;
  urgeCount?: number;
  note?: string | null;
  target?: string;
  escalates?: boolean;
  authorType?: string;
  visibility?: string;
  changes?: Record<string, { before: unknown; after: unknown }>;
  via?: unknown;
  reason?: string;
  fromDepartmentId?: number | null;
  toDepartmentId?: number | null;
};

/**
 * Who hears about a ticket event: urges, SLA warnings and breaches reach its assignee and the
 * supervisors of its department (admins when there are none); a breach whose policy has
 * escalation steps is left to them. The assignee also hears of a new assignment and of customer
 * replies. Nobody is told about what they did themselves.
 */
export function registerNotificationJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "notify-staff",
    types: [
      "ticket.created",
      "ticket.urged",
      "ticket.sla_warning",
      "ticket.sla_breached",
      "ticket.updated",
      "ticket.message_added",
      "ticket.transferred",
    ],
    // Most ticket events notify nobody: those cost no job.
    accepts: ({ type, payload }) => {
      const p = payload as Payload;
      if (type === "ticket.created") return !!p.scope?.assigneeId;
      if (type === "ticket.updated") return typeof p.changes?.assigneeId?.after === "number";
      if (type === "ticket.message_added") return p.authorType === "customer" && !!p.scope?.assigneeId;
      if (type === "ticket.sla_breached") return !p.escalates;
      if (type === "ticket.transferred") return p.toDepartmentId != null && p.toDepartmentId !== p.fromDepartmentId;
      return true;
    },
    handle: async (event: DomainEvent, { trx }) => {
      const p = event.payload as Payload;
      const scope = p.scope ?? { assigneeId: null, departmentId: null };
      const notSelf = (ids: number[]) => ids.filter((id) => !(p.byKind === "staff" && id === p.byId));
      const ticketId = event.aggregateId;
      const assigneeAndSupervisors = async () =>
        notSelf([...(scope.assigneeId ? [scope.assigneeId] : []), ...(await supervisorIdsFor(trx, scope.departmentId))]);
      switch (event.type) {
        case "ticket.urged":
          return notifyStaff(ctx, trx, await assigneeAndSupervisors(), {
            type: "urged",
            ticketId,
            data: { byName: p.byName, byKind: p.byKind, urgeCount: p.urgeCount, note: p.note ?? null },
          });
        case "ticket.sla_warning":
          return notifyStaff(ctx, trx, await assigneeAndSupervisors(), { type: "sla_warning", ticketId, data: { target: p.target } });
        case "ticket.sla_breached":
          if (p.escalates) return;
          return notifyStaff(ctx, trx, await assigneeAndSupervisors(), { type: "sla_breached", ticketId, data: { target: p.target } });
        case "ticket.created":
          if (scope.assigneeId && notSelf([scope.assigneeId]).length)
            return notifyStaff(ctx, trx, [scope.assigneeId], { type: "assigned", ticketId, data: {} });
          return;
        case "ticket.updated": {
          const assigned = p.changes?.assigneeId?.after;
          if (typeof assigned === "number" && !(p.byKind === "staff" && p.byId === assigned))
            return notifyStaff(ctx, trx, [assigned], { type: "assigned", ticketId, data: {} });
          return;
        }
        case "ticket.transferred":
          // The department it came to hears of it: its supervisors (admins when it has none).
          return notifyStaff(ctx, trx, notSelf(await supervisorIdsFor(trx, p.toDepartmentId ?? null)), {
            type: "transferred",
            ticketId,
            data: { byName: p.byName, reason: p.reason ?? "" },
          });
        case "ticket.message_added":
          if (p.authorType === "customer" && scope.assigneeId)
            return notifyStaff(ctx, trx, [scope.assigneeId], { type: "customer_replied", ticketId, data: {} });
          return;
      }
    },
  });
}
