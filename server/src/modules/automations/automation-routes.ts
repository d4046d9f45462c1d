import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import {
  automation,
  createAutomationBody,
  createTriggerBody,
  previewResult,
  previewRuleBody,
  trigger,
  updateAutomationBody,
  updateTriggerBody,
} from "@loopdesk/contracts/rules";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { startAutomationRun } from "./automation-jobs";
import { createAutomation, deleteAutomation, listAutomations, updateAutomation } from "./automation-service";
import { previewRule } from "./preview-rule";
import { createTrigger, deleteTrigger, listTriggers, updateTrigger } from "./trigger-service";

const tags = ["automations"];
const managers = ["admin", "supervisor"] as const;

/** Triggers and time-based automations: read by staff, kept by supervisors and admins. */
export function registerAutomationRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/triggers",
    summary: "Triggers in the order they run",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(trigger) }) },
    handler: async () => ({ items: await listTriggers(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/triggers",
    summary: "Create a trigger: on ticket events, conditions → actions (supervisor, admin)",
    tags,
    access: [...managers],
    audit: { table: "triggers" },
    body: createTriggerBody,
    responses: { 201: trigger },
    handler: async ({ body, reply }) => {
      const saved = await createTrigger(ctx.db, body);
      reply.code(201);
      return saved;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/triggers/:id",
    summary: "Change a trigger (supervisor, admin)",
    tags,
    access: [...managers],
    audit: { table: "triggers" },
    params: idParams,
    body: updateTriggerBody,
    responses: { 200: trigger },
    handler: async ({ params, body }) => {
      const saved = await updateTrigger(ctx.db, params.id, body);
      return saved;
    },
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/triggers/:id",
    summary: "Delete a trigger (supervisor, admin)",
    tags,
    access: [...managers],
    audit: { table: "triggers" },
    params: idParams,
    handler: async ({ params, reply }) => {
      await deleteTrigger(ctx.db, params.id);
      reply.code(204);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/automations",
    summary: "Time-based automations in the order they run",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(automation) }) },
    handler: async () => ({ items: await listAutomations(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/automations",
    summary: "Create a time-based automation: tickets in a status for N hours → actions (supervisor, admin)",
    tags,
    access: [...managers],
    audit: { table: "automations" },
    body: createAutomationBody,
    responses: { 201: automation },
    handler: async ({ body, reply }) => {
      reply.code(201);
      return createAutomation(ctx.db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/automations/:id",
    summary: "Change a time-based automation (supervisor, admin)",
    tags,
    access: [...managers],
    audit: { table: "automations" },
    params: idParams,
    body: updateAutomationBody,
    responses: { 200: automation },
    handler: async ({ params, body }) => updateAutomation(ctx.db, params.id, body),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/automations/:id",
    summary: "Delete a time-based automation (supervisor, admin)",
    tags,
    access: [...managers],
    audit: { table: "automations" },
    params: idParams,
    handler: async ({ params, reply }) => {
      await deleteAutomation(ctx.db, params.id);
      reply.code(204);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/automations/run",
    summary: "Run every active automation now instead of at the next full hour (admin)",
    tags,
    access: ["admin"],
    handler: async ({ reply }) => {
      await startAutomationRun(ctx.db);
      reply.code(202);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/rules/preview",
    summary:
      "Test a rule (saved or unsaved) against ticket #N: conditions with actual values, and what the actions would do; nothing is changed",
    tags,
    access: [...managers],
    audit: false,
    body: previewRuleBody,
    responses: { 200: previewResult },
    handler: ({ body }) => previewRule(ctx.db, body),
  });
}
