import type { FastifyInstance } from "fastify";
import {
  codeBody,
  passkey,
  passkeyOptions,
  passkeyRegistration,
  recoveryCodes,
  securitySettings,
  totpEnrolment,
  twoFactorStatus as statusSchema,
} from "@loopdesk/contracts/auth";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import type { AppContext } from "../../platform/context";
import { AppError, NotFoundError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { deletePasskey, listPasskeys, passkeyRegistrationOptions, registerPasskey } from "./passkeys";
import { endSessionsOf } from "./session-service";
import {
  confirmTotp,
  regenerateRecoveryCodes,
  removeTwoFactor,
  setTwoFactorRoles,
  startTotpEnrolment,
  twoFactorRoles,
  twoFactorStatus,
  verifySecondFactor,
} from "./two-factor";

const tags = ["two-factor"];

/** Two-factor sign-in: one's own authenticator and recovery codes; the roles that must use it; an admin's reset. */
export function registerTwoFactorRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/me/two-factor",
    summary: "The signed-in staff member's second factors and whether their role requires one",
    tags,
    access: "staff",
    duringEnrolment: true,
    responses: { 200: statusSchema },
    handler: async ({ principal }) => twoFactorStatus(ctx.db, principal.id),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/me/two-factor/totp",
    summary: "Start setting up an authenticator app: a new secret with its QR code (confirm with a code to turn it on)",
    tags,
    access: "staff",
    duringEnrolment: true,
    responses: { 200: totpEnrolment },
    handler: async ({ principal }) => startTotpEnrolment(ctx, principal.id, principal.email),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/me/two-factor/totp/confirm",
    summary: "Turn the authenticator on with a code it shows; answers ten one-time recovery codes, shown only now",
    tags,
    access: "staff",
    duringEnrolment: true,
    audit: { action: "auth.two-factor.enable", targetType: "staff" },
    body: codeBody,
    responses: { 200: recoveryCodes },
    handler: async ({ principal, body }) => ({ recoveryCodes: await confirmTotp(ctx, principal.id, principal.email, body.code) }),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/me/two-factor/recovery-codes",
    summary: "Replace the recovery codes (a current authenticator code is required); the old ones stop working",
    tags,
    access: "staff",
    audit: { action: "auth.recovery-codes.create", targetType: "staff" },
    body: codeBody,
    responses: { 200: recoveryCodes },
    handler: async ({ principal, body }) => ({ recoveryCodes: await regenerateRecoveryCodes(ctx, principal.id, body.code) }),
  });

  route(app, {
    method: "DELETE",
    url: "/api/v1/me/two-factor",
    summary: "Turn two-factor sign-in off (a current authenticator code is required; refused when the role requires it)",
    tags,
    access: "staff",
    audit: { action: "auth.two-factor.disable", targetType: "staff" },
    body: codeBody,
    handler: async ({ principal, body }) => {
      if ((await twoFactorRoles(ctx.db)).includes(principal.role))
        throw new AppError(409, "conflict", "Your role requires two-factor sign-in.");
      await verifySecondFactor(ctx, principal.id, body);
      await removeTwoFactor(ctx.db, principal.id);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/security/settings",
    summary: "Which roles must sign in with a second factor (admin)",
    tags,
    access: ["admin"],
    responses: { 200: securitySettings },
    handler: async () => ({ twoFactorRoles: await twoFactorRoles(ctx.db) }),
  });

  route(app, {
    method: "PUT",
    url: "/api/v1/security/settings",
    summary: "Require a second factor for roles (admin); their next password sign-in must set one up",
    tags,
    access: ["admin"],
    body: securitySettings,
    responses: { 200: securitySettings },
    handler: async ({ body }) => ({ twoFactorRoles: await setTwoFactorRoles(ctx.db, body.twoFactorRoles) }),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/me/passkeys",
    summary: "The signed-in staff member's passkeys",
    tags,
    access: "staff",
    duringEnrolment: true,
    responses: { 200: z.object({ items: z.array(passkey) }) },
    handler: async ({ principal }) => ({ items: await listPasskeys(ctx, principal.id) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/me/passkeys/options",
    summary: "Start adding a passkey: WebAuthn creation options and the signed state to send back",
    tags,
    access: "staff",
    duringEnrolment: true,
    responses: { 200: passkeyOptions },
    handler: async ({ principal }) => passkeyRegistrationOptions(ctx, principal),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/me/passkeys",
    summary: "Add a passkey (the browser's answer to the creation options); it counts as a second factor",
    tags,
    access: "staff",
    duringEnrolment: true,
    audit: { action: "auth.passkey.create" },
    body: passkeyRegistration,
    responses: { 201: z.object({ items: z.array(passkey) }) },
    handler: async ({ principal, body, reply }) => {
      const items = await registerPasskey(ctx, principal.id, body);
      reply.code(201);
      return { items };
    },
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/me/passkeys/:id",
    summary: "Remove one of one's passkeys",
    tags,
    access: "staff",
    audit: { action: "auth.passkey.delete" },
    params: idParams,
    handler: async ({ principal, params }) => deletePasskey(ctx, principal.id, params.id),
  });

  route(app, {
    method: "DELETE",
    url: "/api/v1/staff/:id/two-factor",
    summary:
      "Reset a staff member's second factor after a lost phone (admin): removes it and ends their sessions; recorded in the audit log",
    tags,
    access: ["admin"],
    audit: { action: "staff.two-factor.reset", table: "staff" },
    params: idParams,
    handler: async ({ params }) => {
      const staff = await ctx.db.selectFrom("staff").select("id").where("id", "=", params.id).executeTakeFirst();
      if (!staff) throw NotFoundError("Staff member");
      await removeTwoFactor(ctx.db, params.id);
      await endSessionsOf(ctx.db, "staff", params.id);
    },
  });
}
