import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import {
  createProcessBody,
  dryRunBody,
  dryRunResult,
  migrateInstancesBody,
  processDefinition,
  processGraph,
  processInstance,
  startProcessBody,
  updateProcessBody,
  validationProblem,
} from "@loopdesk/contracts/processes";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { actorOf } from "../tickets/ticket-events";
import { openWhenOwnerWorks } from "../tickets/ticket-taken-up";
import { migrateInstances } from "./migrate-instances";
import {
  checkProcess,
  createProcess,
  dryRunProcess,
  getProcess,
  listProcesses,
  publishProcess,
  updateProcess,
} from "./process-definitions";
import { ticketProcesses } from "./process-instances";
import { markAutoStartInUse } from "./process-jobs";
import { cancelInstance, startProcess } from "./process-runtime";
import { instanceTicketId } from "./process-tasks";
import { installProcessTemplate, processTemplates } from "./process-templates";

const tags = ["processes"];
const admin = ["admin"] as const;

/** Process definitions (admin: design, validate, dry-run, publish, move instances) and instances on tickets. */
export function registerProcessRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/processes",
    summary: "Process definitions with their versions and running instances (staff read them to start one)",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(processDefinition) }) },
    handler: async () => ({ items: await listProcesses(ctx.db) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/processes/templates",
    summary: "Templates shipped ready to use (跨境退换货, 设备报修, 发票重开, 投诉升级, 并行)",
    tags,
    access: admin,
    responses: { 200: z.object({ items: z.array(z.object({ key: z.string(), name: z.string(), description: z.string() })) }) },
    handler: async () => ({ items: processTemplates.map((t) => ({ key: t.key, name: t.name, description: t.description })) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/processes/templates/:key",
    summary: "Create a definition from a shipped template, owners matched to this workspace's departments by name (a draft to review)",
    tags,
    access: admin,
    audit: { action: "processes.templates", table: "process_definitions" },
    params: z.object({ key: z.string().max(60) }),
    responses: { 201: processDefinition },
    handler: async ({ params, reply }) => {
      const created = await ctx.db.transaction().execute((trx) => installProcessTemplate(trx, params.key));
      reply.code(201);
      return created;
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/processes",
    summary: "Create a process definition (a draft; publish it to run it)",
    tags,
    access: admin,
    audit: { table: "process_definitions" },
    body: createProcessBody,
    responses: { 201: processDefinition },
    handler: async ({ body, reply }) => {
      const created = await createProcess(ctx.db, body);
      reply.code(201);
      return created;
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/processes/:id",
    summary: "One process definition",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: processDefinition },
    handler: ({ params }) => getProcess(ctx.db, params.id),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/processes/:id",
    summary: "Save the draft (graph, start rule, progress messages) or switch the process on/off",
    tags,
    access: admin,
    audit: { table: "process_definitions" },
    params: idParams,
    body: updateProcessBody,
    responses: { 200: processDefinition },
    handler: ({ params, body }) => updateProcess(ctx.db, params.id, body),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/processes/validate",
    summary: "Problems of a graph, each pinned to its node or connection (the designer checks as you draw)",
    tags,
    access: admin,
    audit: false,
    body: z.strictObject({ graph: processGraph, key: z.string().max(60).optional() }),
    responses: { 200: z.object({ problems: z.array(validationProblem) }) },
    handler: async ({ body }) => ({ problems: await checkProcess(ctx.db, body.graph, body.key) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/processes/:id/publish",
    summary: "Publish the draft as a new version (400 with the problems when it does not validate)",
    tags,
    access: admin,
    params: idParams,
    responses: { 200: processDefinition },
    handler: async ({ params, principal }) => {
      const published = await ctx.db.transaction().execute((trx) => publishProcess(trx, params.id, principal.id));
      if (published.startRule.enabled) markAutoStartInUse(ctx);
      return published;
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/processes/:id/dry-run",
    summary: "Walk the draft with sample facts and approval decisions; lists the steps passed and where it ends",
    tags,
    access: admin,
    audit: false,
    params: idParams,
    body: dryRunBody,
    responses: { 200: dryRunResult },
    handler: ({ params, body }) => dryRunProcess(ctx.db, params.id, body),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/processes/:id/migrate",
    summary: "Move running instances of an older version to the current one; reports what moved and what could not",
    tags,
    access: admin,
    params: idParams,
    body: migrateInstancesBody,
    responses: {
      200: z.object({
        moved: z.array(z.object({ instanceId: z.number(), ticketId: z.number() })),
        skipped: z.array(z.object({ instanceId: z.number(), ticketId: z.number(), reason: z.string() })),
      }),
    },
    handler: ({ params, body, principal }) =>
      ctx.db.transaction().execute((trx) => migrateInstances(ctx, trx, params.id, body, { type: "staff", id: principal.id })),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/processes",
    summary: "The processes run on a ticket, each with its map, steps, holders and tasks",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: z.object({ items: z.array(processInstance) }) },
    handler: async ({ params, principal }) => {
      await loadVisibleTicket(ctx.db, principal, params.id);
      return { items: await ticketProcesses(ctx.db, params.id) };
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/processes",
    summary: "Start a published process on the ticket (409 when it already runs there)",
    tags,
    access: "staff",
    params: idParams,
    body: startProcessBody,
    responses: { 201: processInstance },
    handler: async ({ params, body, principal, reply }) => {
      const instanceId = await ctx.db.transaction().execute(async (trx) => {
        await loadVisibleTicket(trx, principal, params.id, { need: "full" });
        const id = await startProcess(ctx, trx, params.id, body.processKey, actorOf(principal));
        await openWhenOwnerWorks(ctx, trx, params.id, actorOf(principal));
        return id;
      });
      reply.code(201);
      return (await ticketProcesses(ctx.db, params.id)).find((i) => i.id === instanceId);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/process-instances/:id/cancel",
    summary: "Cancel a running process on a ticket, with a reason (supervisors and admins)",
    tags,
    access: ["admin", "supervisor"] as const,
    params: idParams,
    body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
    handler: async ({ params, body, principal }) => {
      await ctx.db.transaction().execute(async (trx) => {
        await loadVisibleTicket(trx, principal, await instanceTicketId(trx, params.id));
        await cancelInstance(ctx, trx, params.id, actorOf(principal), body.reason);
      });
    },
  });
}
