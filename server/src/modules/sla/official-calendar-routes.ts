import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { importOfficialDaysBody, officialCalendar as officialCalendarSchema, saveOfficialDaysBody } from "@loopdesk/contracts/sla";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { daysFromIcs, deleteOfficialDay, officialCalendar, saveOfficialDays } from "./official-days";

const tags = ["sla"];
const dateParams = z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.") });

/** 法定节假日: which years the official calendar covers, and entering a year the holiday data does not know yet. */
export function registerOfficialCalendarRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/calendars/official",
    summary:
      "China's official holidays and make-up working days: the years covered (bundled data and entered), the years missing, the entered days",
    tags,
    access: "staff",
    responses: { 200: officialCalendarSchema },
    handler: () => officialCalendar(ctx.db, ctx.config.timeZone),
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/calendars/official/days",
    summary: "Enter official days for a year the bundled data does not know (due times are recomputed)",
    tags,
    access: ["admin"],
    body: saveOfficialDaysBody,
    responses: { 200: officialCalendarSchema },
    handler: async ({ body }) => {
      await ctx.db.transaction().execute((trx) => saveOfficialDays(trx, body.days, "manual"));
      ctx.jobs.wake();
      return officialCalendar(ctx.db, ctx.config.timeZone);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/calendars/official/import",
    summary: "Load official days from an .ics holiday calendar (all-day events; 班/补班/上班 events are make-up working days)",
    tags,
    access: ["admin"],
    body: importOfficialDaysBody,
    responses: { 200: z.object({ imported: z.number(), calendar: officialCalendarSchema }) },
    handler: async ({ body }) => {
      const days = daysFromIcs(body.ics);
      const imported = await ctx.db.transaction().execute((trx) => saveOfficialDays(trx, days, "ics"));
      ctx.jobs.wake();
      return { imported, calendar: await officialCalendar(ctx.db, ctx.config.timeZone) };
    },
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/calendars/official/days/:date",
    summary: "Remove an entered official day",
    tags,
    access: ["admin"],
    params: dateParams,
    handler: async ({ params }) => {
      await ctx.db.transaction().execute((trx) => deleteOfficialDay(trx, params.date));
      ctx.jobs.wake();
    },
  });
}
