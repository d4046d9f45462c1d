import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { staffSession } from "@loopdesk/contracts/auth";
import { idParams } from "@loopdesk/contracts/common";
import type { AppContext } from "../../platform/context";
import { NotFoundError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { endSession, endSessionsOf, listSessions } from "./session-service";

const tags = ["sessions"];
const sessions = z.object({ items: z.array(staffSession) });

/** Where one is signed in: see one's sessions and end any; an administrator ends all of a person's. */
export function registerSessionRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/me/sessions",
    summary: "The signed-in person's live sessions (device, address, started, last used), this one marked",
    tags,
    access: "any",
    responses: { 200: sessions },
    handler: async ({ req, principal }) => ({ items: await listSessions(ctx.db, principal.kind, principal.id, req.auth?.sessionId) }),
  });

  route(app, {
    method: "DELETE",
    url: "/api/v1/me/sessions/:handle",
    summary: "End one of the signed-in person's sessions (signs that browser out at its next request)",
    tags,
    access: "any",
    audit: { action: "sessions.delete", targetType: "session" },
    params: z.object({ handle: z.string() }),
    handler: async ({ principal, params }) => {
      await endSession(ctx.db, principal.kind, principal.id, params.handle);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/staff/:id/sessions",
    summary: "A staff member's live sessions (admin)",
    tags,
    access: ["admin"],
    params: idParams,
    responses: { 200: sessions },
    handler: async ({ params }) => ({ items: await listSessions(ctx.db, "staff", params.id) }),
  });

  route(app, {
    method: "DELETE",
    url: "/api/v1/staff/:id/sessions",
    summary: "Sign a staff member out everywhere: ends all their sessions (admin; their API tokens are revoked separately)",
    tags,
    access: ["admin"],
    params: idParams,
    handler: async ({ params }) => {
      const staff = await ctx.db.selectFrom("staff").select("id").where("id", "=", params.id).executeTakeFirst();
      if (!staff) throw NotFoundError("Staff member");
      await endSessionsOf(ctx.db, "staff", params.id);
    },
  });
}
