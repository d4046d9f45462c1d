import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import {
  calendar,
  createCalendarBody,
  createSlaPolicyBody,
  slaPolicy,
  ticketSla,
  updateCalendarBody,
  updateSlaPolicyBody,
} from "@loopdesk/contracts/sla";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { createCalendar, listCalendars, updateCalendar } from "./calendar-service";
import { createPolicy, listPolicies, updatePolicy } from "./policy-service";
import { recomputeOpenTickets } from "./sla-jobs";

const tags = ["sla"];

export function registerSlaRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/calendars",
    summary: "Business calendars (working hours, holidays, make-up working days)",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(calendar) }) },
    handler: async () => ({ items: await listCalendars(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/calendars",
    summary: "Create a business calendar (admin)",
    tags,
    access: ["admin"],
    audit: { table: "business_calendars" },
    body: createCalendarBody,
    responses: { 201: calendar },
    handler: async ({ body, reply }) => {
      reply.code(201);
      return createCalendar(ctx.db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/calendars/:id",
    summary: "Change a business calendar (admin); unsolved tickets' due times are recomputed",
    tags,
    access: ["admin"],
    audit: { table: "business_calendars" },
    params: idParams,
    body: updateCalendarBody,
    responses: { 200: calendar },
    handler: async ({ params, body }) => {
      const saved = await updateCalendar(ctx.db, params.id, body);
      await recomputeOpenTickets(ctx.db);
      return saved;
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/sla-policies",
    summary: "SLA policies in the order they are tried",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(slaPolicy) }) },
    handler: async () => ({ items: await listPolicies(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/sla-policies",
    summary: "Create an SLA policy (admin); unsolved tickets' clocks are recomputed",
    tags,
    access: ["admin"],
    audit: { table: "sla_policies" },
    body: createSlaPolicyBody,
    responses: { 201: slaPolicy },
    handler: async ({ body, reply }) => {
      const saved = await createPolicy(ctx.db, body);
      await recomputeOpenTickets(ctx.db);
      reply.code(201);
      return saved;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/sla-policies/:id",
    summary: "Change an SLA policy (admin); unsolved tickets' clocks are recomputed",
    tags,
    access: ["admin"],
    audit: { table: "sla_policies" },
    params: idParams,
    body: updateSlaPolicyBody,
    responses: { 200: slaPolicy },
    handler: async ({ params, body }) => {
      const saved = await updatePolicy(ctx.db, params.id, body);
      await recomputeOpenTickets(ctx.db);
      return saved;
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/sla",
    summary: "A ticket's SLA clocks: policy, and per target its status and due time",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: ticketSla },
    handler: async ({ principal, params }) => {
      await loadVisibleTicket(ctx.db, principal, params.id);
      const rows = await ctx.db.selectFrom("ticket_sla").selectAll().where("ticket_id", "=", params.id).execute();
      const policyId = rows[0]?.policy_id ?? null;
      const policy = policyId ? (await listPolicies(ctx.db)).find((p) => p.id === policyId) : undefined;
      const order = ["first_response", "next_response", "resolution"];
      return {
        policyId,
        policyName: policy?.name ?? null,
        clocks: rows
          .sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target))
          .map((r) => ({
            target: r.target,
            status: r.status,
            dueAt: r.due_at?.toISOString() ?? null,
            cycleStart: r.cycle_start.toISOString(),
            completedAt: r.completed_at?.toISOString() ?? null,
            breachedAt: r.breached_at?.toISOString() ?? null,
          })),
      };
    },
  });
}
