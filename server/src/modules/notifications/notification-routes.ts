import type { FastifyInstance } from "fastify";
import { markReadBody, notificationList } from "@loopdesk/contracts/notifications";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { listNotifications, markNotificationsRead } from "./notification-service";

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
}
