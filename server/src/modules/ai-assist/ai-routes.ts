import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { aiCall, aiReplyDraft, aiSettings, aiSettingsBody, aiSummary, article } from "@loopdesk/contracts/knowledge";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { draftArticle, draftReply, summarizeTicket } from "./ai-assist";
import { readAiSettings, saveAiSettings } from "./ai-settings";

const tags = ["ai-assist"];

export function registerAiRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/ai/settings",
    summary: "AI assist's endpoint, model and timeout (the key is never answered, only whether one is set)",
    tags,
    access: ["admin"],
    responses: { 200: aiSettings },
    handler: () => readAiSettings(ctx.db),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/ai/settings",
    summary: "Turn AI assist on or off; set the OpenAI-compatible endpoint, model, key (stored encrypted) and timeout",
    tags,
    access: ["admin"],
    audit: { table: "ai_settings", id: 1 },
    body: aiSettingsBody,
    responses: { 200: aiSettings },
    handler: ({ body }) => saveAiSettings(ctx, body),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/ai/status",
    summary: "Whether AI assist is on (for showing its buttons)",
    tags,
    access: "staff",
    responses: { 200: z.object({ enabled: z.boolean() }) },
    handler: async () => ({ enabled: (await readAiSettings(ctx.db)).enabled }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/ai/calls",
    summary: "The log of AI calls: who, which ticket, what, tokens, time, outcome (newest first)",
    tags,
    access: ["admin"],
    responses: { 200: z.object({ items: z.array(aiCall) }) },
    handler: async () => {
      const rows = await ctx.db
        .selectFrom("ai_calls as c")
        .leftJoin("staff as s", "s.id", "c.staff_id")
        .selectAll("c")
        .select("s.name as staff_name")
        .orderBy("c.id", "desc")
        .limit(200)
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          staff: r.staff_name,
          ticketId: r.ticket_id,
          kind: r.kind,
          model: r.model,
          status: r.status,
          promptTokens: r.prompt_tokens,
          completionTokens: r.completion_tokens,
          latencyMs: r.latency_ms,
          error: r.error,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/ai/summary",
    summary: "AI assist: a summary of the ticket for an agent taking it over",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: aiSummary },
    handler: ({ principal, params }) => summarizeTicket(ctx, principal, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/ai/reply-draft",
    summary: "AI assist: a reply drafted from the recommended articles, with the articles it cites",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: aiReplyDraft },
    handler: ({ principal, params }) => draftReply(ctx, principal, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/ai/article-draft",
    summary: "AI assist: a draft knowledge article written from the solved ticket (customer data removed first)",
    tags,
    access: "staff",
    params: idParams,
    responses: { 201: article },
    handler: async ({ principal, params, reply }) => {
      reply.code(201);
      return draftArticle(ctx, principal, params.id);
    },
  });
}
