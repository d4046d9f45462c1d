import type { FastifyInstance } from "fastify";
import { markReadBody, notificationList, notificationPrefsResult, updateNotificationPrefsBody } from "@loopdesk/contracts/notifications";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { getNotificationPrefs, listNotifications, markNotificationsRead, setNotificationPrefs } from "./notification-service";

const tags = ["notifications"];

export function registerNotificationRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/notifications",
    summary: "The caller's in-app notifications, newest first, with the unread count",
    tags,
    access: "staff",
    responses: { 200: notificationList },
    handler: ({ principal }) => listNotifications(ctx.db, principal.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/notifications/read",
    summary: "Mark some (ids) or all of the caller's notifications read",
    tags,
    access: "staff",
    body: markReadBody,
    handler: async ({ principal, body }) => {
      await markNotificationsRead(ctx.db, principal.id, body);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/notifications/preferences",
    summary: "Which notification types reach the caller in-app and by email",
    tags,
    access: "staff",
    responses: { 200: notificationPrefsResult },
    handler: async ({ principal }) => ({ prefs: await getNotificationPrefs(ctx.db, principal.id) }),
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/notifications/preferences",
    summary: "Choose per notification type whether it reaches the caller in-app and/or by email",
    tags,
    access: "staff",
    body: updateNotificationPrefsBody,
    responses: { 200: notificationPrefsResult },
    handler: async ({ principal, body }) => ({ prefs: await setNotificationPrefs(ctx.db, principal.id, body.prefs) }),
  });
}
