import type { FastifyInstance } from "fastify";
import { ssoSettings, ssoSettingsBody } from "@loopdesk/contracts/sso";
import { z } from "zod";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { sessionStarter } from "../auth/session-start";
import { secondFactorMethods, twoFactorChallenge, twoFactorStatus } from "../auth/two-factor";
import { OIDC_COOKIE, OIDC_COOKIE_PATH, oidcFinish, oidcStart } from "./oidc-sign-in";
import { staffSignedInBy } from "./sso-sign-in";
import { OIDC_CALLBACK_PATH, presentSsoSettings, ssoRow, updateSsoSettings } from "./sso-settings";

const tags = ["sso"];

/** 单点登录: the settings (admin) and the OpenID Connect round trip through the browser. */
export function registerSsoRoutes(app: FastifyInstance, ctx: AppContext) {
  const { startSession } = sessionStarter(app, ctx);
  route(app, {
    method: "GET",
    url: "/api/v1/sso/settings",
    summary: "Single sign-on settings (secrets are never returned) (admin)",
    tags,
    access: ["admin"],
    responses: { 200: ssoSettings },
    handler: () => presentSsoSettings(ctx),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/sso/settings",
    summary: "Change single sign-on: OIDC provider, LDAP directory, group mappings, password sign-in and break-glass accounts (admin)",
    tags,
    access: ["admin"],
    audit: { action: "sso.update", table: "sso_settings", id: 1 },
    body: ssoSettingsBody,
    responses: { 200: ssoSettings },
    handler: ({ body }) => updateSsoSettings(ctx, body),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/auth/oidc/start",
    summary: "Start signing in with the OpenID Connect provider: redirects the browser there",
    tags: ["auth"],
    access: "public",
    query: z.object({ returnTo: z.string().max(500).default("/") }),
    handler: async ({ reply, query }) => {
      const { url, cookie } = await oidcStart(ctx, await ssoRow(ctx.db), query.returnTo);
      reply.setCookie(OIDC_COOKIE, cookie, {
        path: OIDC_COOKIE_PATH,
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.secureCookies,
        maxAge: 600,
      });
      return reply.redirect(url, 302);
    },
  });

  // The provider sends the browser here: problems go back to the sign-in page as a code it explains.
  app.get(OIDC_CALLBACK_PATH, async (req, reply) => {
    reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    try {
      const row = await ssoRow(ctx.db);
      const callbackUrl = `${ctx.config.publicUrl.replace(/\/$/, "")}${req.url}`;
      const { identity, returnTo, mfa } = await oidcFinish(ctx, row, callbackUrl, req.cookies[OIDC_COOKIE]);
      const principal = await staffSignedInBy(app, ctx, row, identity, req.ip);
      const factors = await twoFactorStatus(ctx.db, principal.id);
      // A second factor at the provider (its amr claim) counts; otherwise Loopdesk's own is asked for.
      if (!mfa && (factors.totp || factors.passkeys))
        return reply.redirect(
          `/login?challenge=${encodeURIComponent(twoFactorChallenge(ctx, principal.id))}&methods=${secondFactorMethods(factors).join(",")}`,
          302,
        );
      await startSession(req, reply, principal, mfa ? "oidc+mfa" : "oidc", !mfa && factors.required);
      return reply.redirect(returnTo, 302);
    } catch (err) {
      const code = err instanceof AppError ? err.code : "internal_error";
      await app.auditLog.record({
        action: "auth.login",
        outcome: "failed",
        actor: { type: "anonymous" },
        ip: req.ip,
        detail: { method: "oidc", reason: code },
      });
      if (!(err instanceof AppError)) ctx.logger.error({ err }, "OIDC sign-in failed");
      return reply.redirect(`/login?sso_error=${encodeURIComponent(code)}`, 302);
    }
  });
}
