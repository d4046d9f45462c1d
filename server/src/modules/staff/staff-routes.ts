import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { createStaffBody, staffMember, staffPreferences, updateStaffBody, updateStaffPreferencesBody } from "@loopdesk/contracts/staff";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { MailUnavailableError } from "../auth/login-code";
import { endSessionsOf } from "../auth/session-service";
import { sendStaffInvitation } from "../auth/staff-invitation";
import { createStaff, getStaff, listStaff, saveStaffPreferences, staffPreferencesOf, updateStaff } from "./staff-service";

const tags = ["staff"];

export function registerStaffRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/me/preferences",
    summary: "My own workspace settings (the queue's columns and page size)",
    tags,
    access: "staff",
    responses: { 200: staffPreferences },
    handler: ({ principal }) => staffPreferencesOf(ctx.db, principal.id),
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/me/preferences",
    summary: "Change my own workspace settings (merged with what is saved)",
    tags,
    access: "staff",
    body: updateStaffPreferencesBody,
    responses: { 200: staffPreferences },
    handler: ({ principal, body }) => saveStaffPreferences(ctx.db, principal.id, body),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/staff",
    summary: "List staff members",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(staffMember) }) },
    handler: async () => ({ items: await listStaff(ctx.db) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/staff/:id",
    summary: "Get a staff member",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: staffMember },
    handler: ({ params }) => getStaff(ctx.db, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/staff",
    summary: "Create a staff member (admin)",
    tags,
    access: ["admin"],
    audit: { table: "staff" },
    body: createStaffBody,
    responses: { 201: staffMember },
    handler: async ({ reply, body }) => {
      // Refuse an invitation that could not be sent before creating anyone.
      if (body.invite && !ctx.mailer.enabled) throw MailUnavailableError();
      const staff = await createStaff(ctx.db, body);
      if (body.invite) await sendStaffInvitation(ctx, staff.id);
      reply.code(201);
      return staff;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/staff/:id",
    summary: "Update a staff member (admin)",
    tags,
    access: ["admin"],
    audit: { table: "staff" },
    params: idParams,
    body: updateStaffBody,
    responses: { 200: staffMember },
    handler: async ({ params, body }) => {
      const staff = await updateStaff(ctx.db, params.id, body);
      // A deactivated account or a changed password ends the member's sessions.
      if (body.active === false || body.password) await endSessionsOf(ctx.db, "staff", params.id);
      return staff;
    },
  });
}
