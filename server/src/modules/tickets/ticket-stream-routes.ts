import type { FastifyInstance, FastifyReply } from "fastify";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import type { RealtimeEvent } from "../../platform/realtime/realtime-hub";
import type { TicketEventScope } from "./emit-ticket-event";
import { type TicketScope, inScope, scopeFor } from "./ticket-access";

const HEARTBEAT_MS = 25_000;

const asRow = (s: TicketEventScope) => ({
  customer_id: s.customerId,
  organization_id: s.organizationId,
  department_id: s.departmentId,
  assignee_id: s.assigneeId,
  // Events written before participants existed carry none.
  participant_ids: s.participantIds ?? [],
  step_department_ids: s.stepDepartmentIds ?? [],
});

/** Whether a live event may go to this caller: the same rules as reading the ticket. */
function visibleTo(principal: Principal, scope: TicketScope, e: RealtimeEvent) {
  if (e.aggregateType !== "ticket") return false;
  const p = e.payload as { scope?: TicketEventScope; scopeBefore?: TicketEventScope; visibility?: string; staffOnly?: boolean };
  if (!p.scope) return false;
  if (principal.kind === "customer" && (p.visibility === "internal" || p.staffOnly)) return false;
  return inScope(scope, asRow(p.scope)) || (p.scopeBefore !== undefined && inScope(scope, asRow(p.scopeBefore)));
}

/** What a client learns: which ticket changed and how; it refetches what it shows. */
function present(e: RealtimeEvent) {
  const p = e.payload as Record<string, unknown>;
  return {
    type: e.type,
    ticketId: e.aggregateId,
    number: p.number,
    ...(p.fields ? { fields: p.fields } : {}),
    ...(p.messageId ? { messageId: p.messageId, visibility: p.visibility, authorType: p.authorType } : {}),
    ...(p.taskId ? { taskId: p.taskId, change: p.change } : {}),
    ...(e.type === "ticket.presence" ? { staffId: p.staffId, name: p.name, state: p.state } : {}),
  };
}

/** Server-sent events: ticket changes the caller may see, from every server process, as they commit. */
export function registerTicketStreamRoutes(app: FastifyInstance, ctx: AppContext) {
  const open = new Set<FastifyReply>();
  app.addHook("onClose", async () => {
    for (const reply of open) reply.raw.end();
  });

  route(app, {
    method: "GET",
    url: "/api/v1/stream",
    summary: "Live ticket events (text/event-stream) within the caller's scope",
    tags: ["tickets"],
    access: "any",
    handler: async ({ req, reply, principal }) => {
      const scope = await scopeFor(ctx.db, principal);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        "x-content-type-options": "nosniff",
      });
      res.write("retry: 3000\n: connected\n\n");
      const unsubscribe = ctx.realtime.subscribe((e) => {
        // A bell rings only for its recipient.
        if (e.aggregateType === "notification") {
          if (principal.kind === "staff" && e.aggregateId === principal.id) res.write(`event: notification.created\ndata: {}\n\n`);
          return;
        }
        if (visibleTo(principal, scope, e)) res.write(`event: ${e.type}\nid: ${e.id}\ndata: ${JSON.stringify(present(e))}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
      open.add(reply);
      req.raw.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(reply);
      });
    },
  });
}
