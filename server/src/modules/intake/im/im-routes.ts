import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { imChannel, imChannelBody } from "@loopdesk/contracts/intake";
import type { AppContext } from "../../../platform/context";
import { AppError, NotFoundError } from "../../../platform/errors";
import { route } from "../../../platform/http/route";
import { createImChannel, deleteImChannel, getImChannel, listImChannels, updateImChannel } from "./im-channel-service";
import { parseCallback } from "./parse-callback";
import { receiveImMessage } from "./receive-im-message";

const ADMIN = ["admin"] as const;
const tags = ["intake", "im"];
/** IM messages are short; anything larger is refused before it is read (413). */
const CALLBACK_BODY_LIMIT = 64 * 1024;

const single = (v: unknown) => (Array.isArray(v) ? String(v[0]) : typeof v === "string" ? v : undefined);

/** Channel set-up (admins) and each channel's public callback endpoint, verified per platform. */
export function registerImRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/channels",
    summary: "IM channels (credentials are never returned)",
    tags,
    access: ADMIN,
    responses: { 200: z.object({ items: z.array(imChannel) }) },
    handler: async () => ({ items: await listImChannels(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/channels",
    summary: "Add an IM channel: WeCom, DingTalk, Feishu or a generic signed webhook",
    tags,
    access: ADMIN,
    audit: { table: "im_channels" },
    body: imChannelBody,
    responses: { 201: imChannel },
    handler: async ({ reply, body }) => {
      const created = await createImChannel(ctx.db, ctx.secrets, body);
      reply.code(201);
      return created;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/channels/:id",
    summary: "Change an IM channel (omitted settings keep their values)",
    tags,
    access: ADMIN,
    audit: { table: "im_channels" },
    params: idParams,
    body: imChannelBody,
    responses: { 200: imChannel },
    handler: ({ params, body }) => updateImChannel(ctx.db, ctx.secrets, params.id, body),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/channels/:id",
    summary: "Switch an IM channel off (its tickets stay)",
    tags,
    access: ADMIN,
    audit: { table: "im_channels" },
    params: idParams,
    responses: { 204: null },
    handler: ({ params }) => deleteImChannel(ctx.db, params.id),
  });

  // The callbacks need the raw body to check signatures, so they live in their own scope with a raw parser.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: CALLBACK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    const handle = async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id) || id <= 0) throw NotFoundError("Channel");
      const channel = await getImChannel(ctx.db, ctx.secrets, id);
      if (!channel.active) throw NotFoundError("Channel");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, single(v)]));
      const query = Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, single(v)]));
      try {
        const parsed = parseCallback(channel, { method: req.method, headers, query, raw: typeof req.body === "string" ? req.body : "" });
        if (parsed.kind === "reply") return parsed.body;
        if (parsed.kind === "ignore") return { ok: true, outcome: "ignored" };
        const result = await receiveImMessage(ctx, channel, parsed);
        return { ok: true, ...result };
      } catch (err) {
        if (err instanceof AppError)
          ctx.logger.warn({ channelId: id, kind: channel.kind, code: err.code, reason: err.message }, "IM callback refused");
        throw err;
      }
    };
    scope.get<{ Params: { id: string } }>("/api/v1/channels/:id/callback", handle);
    scope.post<{ Params: { id: string } }>("/api/v1/channels/:id/callback", { bodyLimit: CALLBACK_BODY_LIMIT }, handle);
  });
}
