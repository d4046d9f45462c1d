import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { createReportScheduleBody, reportSchedule, updateReportScheduleBody } from "@loopdesk/contracts/analytics";
import { idParams } from "@loopdesk/contracts/common";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { createReportSchedule, deleteReportSchedule, listReportSchedules, sendReportNow, updateReportSchedule } from "./report-schedules";

const tags = ["analytics"];
// Scheduled reports cover the whole workspace (they have no reader to scope them to): administrators set them up.
const access = ["admin"] as "admin"[];

/** Scheduled reports (报表订阅): weekly or monthly summaries mailed to a list of people. */
export function registerReportScheduleRoutes(app: FastifyInstance, ctx: AppContext) {
  const tz = ctx.config.timeZone;
  route(app, {
    method: "GET",
    url: "/api/v1/report-schedules",
    summary: "Scheduled reports",
    tags,
    access,
    responses: { 200: z.object({ items: z.array(reportSchedule) }) },
    handler: async () => ({ items: await listReportSchedules(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/report-schedules",
    summary: "Schedule a report: weekly (Monday 08:00, the week before) or monthly (the 1st 08:00, the month before), local time",
    tags,
    access,
    body: createReportScheduleBody,
    responses: { 201: reportSchedule },
    handler: async ({ principal, body, reply }) => {
      reply.code(201);
      return createReportSchedule(ctx.db, body, principal.id, tz);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/report-schedules/:id",
    summary: "Change a scheduled report",
    tags,
    access,
    params: idParams,
    body: updateReportScheduleBody,
    responses: { 200: reportSchedule },
    handler: ({ params, body }) => updateReportSchedule(ctx.db, params.id, body, tz),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/report-schedules/:id",
    summary: "Stop and remove a scheduled report",
    tags,
    access,
    params: idParams,
    handler: async ({ params, reply }) => {
      await deleteReportSchedule(ctx.db, params.id);
      return reply.code(204).send();
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/report-schedules/:id/send",
    summary: "Mail the last whole period now (the schedule stays as it is)",
    tags,
    access,
    params: idParams,
    responses: { 200: z.object({ from: z.string(), to: z.string(), recipients: z.array(z.string()) }) },
    handler: ({ params }) => sendReportNow(ctx, params.id),
  });
}
