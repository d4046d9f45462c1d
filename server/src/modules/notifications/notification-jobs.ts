import type { AppContext } from "../../platform/context";
import type { DomainEvent } from "../../platform/events/event-bus";
import { supervisorIdsFor } from "../staff/staff-service";
import { notifyStaff } from "./notification-service";

type Scope = { assigneeId: number | null; departmentId: number | null };

/**
 * Who hears about a ticket event: its assignee and the supervisors of its department (admins when
 * there are none) — except whoever caused it.
 */
export function registerNotificationJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "notify-staff",
    types: ["ticket.urged", "ticket.sla_warning", "ticket.sla_breached"],
    handle: async (event: DomainEvent, { trx }) => {
      const p = event.payload as {
        scope?: Scope;
        byKind?: string;
        byId?: number;
        byName?: string;
        urgeCount?: number;
        note?: string | null;
        target?: string;
      };
      const scope = p.scope ?? { assigneeId: null, departmentId: null };
      const recipients = [...(scope.assigneeId ? [scope.assigneeId] : []), ...(await supervisorIdsFor(trx, scope.departmentId))].filter(
        (id) => !(p.byKind === "staff" && id === p.byId),
      );
      if (event.type === "ticket.urged")
        await notifyStaff(trx, recipients, {
          type: "urged",
          ticketId: event.aggregateId,
          data: { byName: p.byName, byKind: p.byKind, urgeCount: p.urgeCount, note: p.note ?? null },
        });
      else
        await notifyStaff(trx, recipients, {
          type: event.type === "ticket.sla_warning" ? "sla_warning" : "sla_breached",
          ticketId: event.aggregateId,
          data: { target: p.target },
        });
    },
  });
}
