import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import {
  acceptInvitationBody,
  apiToken,
  authOptions,
  changePasswordBody,
  createdToken,
  createTokenBody,
  loginBody,
  loginResponse,
  loginCodeRequestBody,
  loginCodeVerifyBody,
  optionalSession,
  passkeyOptions,
  sessionResponse,
  twoFactorLoginBody,
} from "@loopdesk/contracts/auth";
import { locale } from "@loopdesk/contracts/staff";
import type { Authentication, Principal } from "../../platform/auth/principal";
import { sha256Hex } from "../../platform/auth/secrets";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { setCustomerLocale } from "../customers/customer-service";
import { loadStaffPrincipal, setStaffLocale } from "../staff/staff-service";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-token-service";
import { changePassword } from "./change-password";
import { InvalidCredentialsError, accountKeyOf, login } from "./login";
import { passkeyAuthenticationOptions, verifyPasskey } from "./passkeys";
import { secondFactorMethods, staffOfChallenge, twoFactorChallenge, twoFactorStatus, verifySecondFactor } from "./two-factor";
import { requestLoginCode, verifyLoginCode } from "./login-code";
import { acceptStaffInvitation, sendStaffInvitation } from "./staff-invitation";
import { SESSION_COOKIE, deleteSession } from "./session-service";
import { DEVICE_COOKIE, presentPrincipal, sessionStarter } from "./session-start";
import { directorySignIn } from "../sso/sso-sign-in";
import { passwordAllowed, ssoRow } from "../sso/sso-settings";

const tags = ["auth"];

export const sessionBody = (auth: Authentication, timeZone: string) => ({
  user: presentPrincipal(auth.principal),
  csrfToken: auth.csrfToken ?? null,
  timeZone,
  ...(auth.needsTwoFactor ? { twoFactorEnrolmentRequired: true } : {}),
});

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext) {
  const { startSession, deviceOf, rememberDevice, setCookie } = sessionStarter(app, ctx);

  route(app, {
    method: "POST",
    url: "/api/v1/auth/login",
    summary:
      "Sign in with email and password; sets the session cookie — or, for staff with two-factor sign-in, answers the second step's challenge (POST /auth/login/two-factor)",
    tags,
    access: "public",
    body: loginBody,
    responses: { 200: loginResponse },
    handler: async ({ req, reply, body }) => {
      // A browser that signed in to this account before carries a device cookie the server signed.
      const account = accountKeyOf(body.as, body.email);
      const [hash, tag] = (req.cookies[DEVICE_COOKIE] ?? "").split(".");
      const knownDevice = hash === deviceOf(account) && !!tag && ctx.secrets.verifyMac(hash, tag);
      const sso = await ssoRow(ctx.db);
      const { principal, method } = await login(ctx.db, {
        ...body,
        ip: req.ip,
        knownDevice,
        passwordAllowed: (staff) => passwordAllowed(sso, staff),
        directory: sso.ldap_enabled ? (email, password) => directorySignIn(ctx, app, sso, { email, password, ip: req.ip }) : undefined,
      }).catch(async (e: unknown) => {
        await app.auditLog.record({
          action: "auth.login",
          outcome: "failed",
          actor: { type: "anonymous" },
          ip: req.ip,
          target: { type: body.as, name: body.email.trim().toLowerCase() },
          detail: { reason: e instanceof AppError ? e.code : "error" },
        });
        throw e;
      });
      if (principal.kind === "staff") {
        const factors = await twoFactorStatus(ctx.db, principal.id);
        if (factors.totp || factors.passkeys)
          return { twoFactor: { challenge: twoFactorChallenge(ctx, principal.id), methods: secondFactorMethods(factors) } };
        if (factors.required) return startSession(req, reply, principal, method, true);
      }
      const session = await startSession(req, reply, principal, method);
      rememberDevice(reply, account);
      return session;
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/auth/login/two-factor",
    summary: "The second step of a staff sign-in: a code from the authenticator app or a recovery code; sets the session cookie",
    tags,
    access: "public",
    body: twoFactorLoginBody,
    responses: { 200: sessionResponse },
    handler: async ({ req, reply, body }) => {
      const staffId = staffOfChallenge(ctx, body.challenge);
      const method = await (body.passkey
        ? verifyPasskey(ctx, staffId, body.passkey).then(() => "passkey")
        : verifySecondFactor(ctx, staffId, body)
      ).catch(async (e: unknown) => {
        await app.auditLog.record({
          action: "auth.login",
          outcome: "failed",
          actor: { type: "anonymous" },
          ip: req.ip,
          target: { type: "staff", id: staffId },
          detail: { reason: e instanceof AppError ? e.code : "error", step: "two_factor" },
        });
        throw e;
      });
      const principal = await loadStaffPrincipal(ctx.db, staffId);
      if (!principal) throw InvalidCredentialsError();
      const session = await startSession(req, reply, principal, `password+${method}`);
      rememberDevice(reply, accountKeyOf("staff", principal.email));
      return session;
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/auth/login/passkey-options",
    summary: "The second step with a passkey: WebAuthn options for the person's passkeys (send the answer to POST /auth/login/two-factor)",
    tags,
    access: "public",
    body: z.strictObject({ challenge: z.string().min(1).max(200) }),
    responses: { 200: passkeyOptions },
    handler: async ({ body }) => passkeyAuthenticationOptions(ctx, staffOfChallenge(ctx, body.challenge)),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/auth/options",
    summary: "Which ways of signing in this installation offers",
    tags,
    access: "public",
    responses: { 200: authOptions },
    handler: async () => {
      const sso = await ssoRow(ctx.db);
      return {
        loginCode: ctx.mailer.enabled,
        mail: ctx.mailer.enabled,
        sso: { oidc: sso.oidc_enabled ? sso.oidc_name : null, ldap: sso.ldap_enabled, staffPasswords: sso.password_sign_in },
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/auth/login-code",
    summary: "Email a customer a one-time sign-in code and link (same answer for unknown addresses; throttled)",
    tags,
    access: "public",
    body: loginCodeRequestBody,
    responses: { 202: z.object({ sent: z.literal(true) }) },
    handler: async ({ req, reply, body }) => {
      await requestLoginCode(ctx, { email: body.email, ip: req.ip });
      reply.code(202);
      return { sent: true as const };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/auth/login-code/verify",
    summary: "Sign a customer in with the emailed code (email + code) or link (token); sets the session cookie",
    tags,
    access: "public",
    body: loginCodeVerifyBody,
    responses: { 200: sessionResponse },
    handler: async ({ req, reply, body }) => startSession(req, reply, await verifyLoginCode(ctx.db, body, req.ip), "login_code"),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/auth/invitation/accept",
    summary: "An invited staff member sets their password with the emailed link's token; sets the session cookie",
    tags,
    access: "public",
    body: acceptInvitationBody,
    responses: { 200: sessionResponse },
    handler: async ({ req, reply, body }) => startSession(req, reply, await acceptStaffInvitation(ctx, body, req.ip), "invitation"),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/staff/:id/invitation",
    summary: "Email a staff member a (new) invitation to set their password (admin)",
    tags: ["staff"],
    access: ["admin"],
    params: idParams,
    responses: { 202: z.object({ sent: z.literal(true) }) },
    handler: async ({ params, reply }) => {
      await sendStaffInvitation(ctx, params.id);
      reply.code(202);
      return { sent: true as const };
    },
  });

  route(app, {
    method: "PUT",
    url: "/api/v1/me/password",
    summary: "Set the signed-in user's password (the current one is required when there is one)",
    tags,
    access: "any",
    audit: { action: "auth.password-changed" },
    body: changePasswordBody,
    handler: async ({ principal, body }) => {
      await changePassword(ctx.db, principal, body);
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/auth/logout",
    summary: "Sign out (ends this session)",
    tags,
    access: "any",
    duringEnrolment: true,
    audit: { action: "auth.logout" },
    handler: async ({ req, reply }) => {
      if (req.auth?.sessionId) await deleteSession(ctx.db, req.auth.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/me",
    summary: "The signed-in user and the CSRF token for cookie-authenticated writes",
    tags,
    access: "any",
    duringEnrolment: true,
    responses: { 200: sessionResponse },
    handler: async ({ req }) => sessionBody(req.auth as Authentication, ctx.config.timeZone),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/session",
    summary: "The session if there is one: like GET /me, but answers 200 with user null when nobody is signed in (public pages ask this)",
    tags,
    access: "public",
    duringEnrolment: true,
    responses: { 200: optionalSession },
    handler: async ({ req }) =>
      req.auth ? sessionBody(req.auth, ctx.config.timeZone) : { user: null, csrfToken: null, timeZone: ctx.config.timeZone },
  });

  route(app, {
    method: "PATCH",
    url: "/api/v1/me",
    summary: "Change the signed-in user's language",
    tags,
    access: "any",
    duringEnrolment: true,
    body: z.strictObject({ locale }),
    responses: { 200: sessionResponse },
    handler: async ({ req, principal, body }) => {
      if (principal.kind === "staff") await setStaffLocale(ctx.db, principal.id, body.locale);
      else await setCustomerLocale(ctx.db, principal.id, body.locale);
      const auth = req.auth as Authentication;
      return sessionBody({ ...auth, principal: { ...principal, locale: body.locale } }, ctx.config.timeZone);
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/tokens",
    summary: "Create an API token (the token is shown only in this response)",
    tags,
    access: "staff",
    audit: { action: "tokens.create", table: "api_tokens" },
    body: createTokenBody,
    responses: { 201: createdToken },
    handler: async ({ reply, principal, body }) => {
      reply.code(201);
      return createApiToken(ctx.db, principal.id, body);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tokens",
    summary: "The caller's API tokens",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(apiToken) }) },
    handler: async ({ principal }) => ({ items: await listApiTokens(ctx.db, principal.id) }),
  });

  route(app, {
    method: "DELETE",
    url: "/api/v1/tokens/:id",
    summary: "Revoke an API token",
    tags,
    access: "staff",
    audit: { action: "tokens.delete", table: "api_tokens" },
    params: idParams,
    handler: async ({ principal, params }) => {
      await revokeApiToken(ctx.db, principal.id, params.id);
    },
  });
}
