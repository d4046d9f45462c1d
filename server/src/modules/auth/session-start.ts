import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Principal } from "../../platform/auth/principal";
import { sha256Hex } from "../../platform/auth/secrets";
import type { AppContext } from "../../platform/context";
import { createSession } from "./session-service";
import { SESSION_COOKIE } from "./session-service";

/** Set on a successful sign-in: this browser knows the account (signed by the server, no personal data). */
export const DEVICE_COOKIE = "loopdesk_device";

export function presentPrincipal(p: Principal) {
  return p.kind === "staff"
    ? { kind: p.kind, id: p.id, email: p.email, name: p.name, role: p.role, locale: p.locale, departmentIds: p.departmentIds }
    : { kind: p.kind, id: p.id, email: p.email, name: p.name, locale: p.locale, organizationId: p.organizationId };
}

/** Starting a session after any kind of sign-in (password, code, invitation, second factor, single sign-on). */
export function sessionStarter(app: FastifyInstance, ctx: AppContext) {
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: ctx.config.secureCookies,
      maxAge: ctx.config.sessionDays * 86_400,
    });

  /** Starts a session after a sign-in, which the audit log records with how it was made. */
  const startSession = async (req: FastifyRequest, reply: FastifyReply, principal: Principal, method: string, needsTwoFactor = false) => {
    await app.auditLog.record({
      action: "auth.login",
      actor: { type: principal.kind, id: principal.id, name: principal.name },
      ip: req.ip,
      target: { type: principal.kind, id: principal.id, name: principal.email },
      detail: { method, userAgent: req.headers["user-agent"]?.slice(0, 200) ?? null },
    });
    const session = await createSession(ctx.db, principal, {
      days: ctx.config.sessionDays,
      userAgent: req.headers["user-agent"],
      ip: req.ip,
      needsTwoFactor,
    });
    setCookie(reply, session.token);
    return {
      user: presentPrincipal(principal),
      csrfToken: session.csrfToken,
      timeZone: ctx.config.timeZone,
      ...(needsTwoFactor ? { twoFactorEnrolmentRequired: true } : {}),
    };
  };

  /** This browser signed in to the account: a guesser elsewhere does not lock it out (see login). */
  const deviceOf = (account: string) => sha256Hex(account).slice(0, 24);
  const rememberDevice = (reply: FastifyReply, account: string) =>
    reply.setCookie(DEVICE_COOKIE, `${deviceOf(account)}.${ctx.secrets.mac(deviceOf(account))}`, {
      path: "/api/v1/auth",
      httpOnly: true,
      sameSite: "lax",
      secure: ctx.config.secureCookies,
      maxAge: 365 * 86_400,
    });

  return { startSession, deviceOf, rememberDevice, setCookie };
}
