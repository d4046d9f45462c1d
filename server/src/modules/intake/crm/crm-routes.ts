import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { crmLookupResult, crmSettings, crmSettingsBody } from "@loopdesk/contracts/intake";
import type { AppContext } from "../../../platform/context";
import { route } from "../../../platform/http/route";
import { loadVisibleTicket } from "../../tickets/ticket-access";
import { crmLookup } from "./crm-lookup";
import { getCrmSettings, saveCrmSettings } from "./crm-settings";

const tags = ["intake", "crm"];

/** The CRM/ERP lookup: its set-up (admins) and the records for a ticket (staff who can see it). */
export function registerCrmRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/crm/settings",
    summary: "The CRM/ERP lookup's set-up (the header value is never returned)",
    tags,
    access: ["admin"],
    responses: { 200: crmSettings },
    handler: () => getCrmSettings(ctx.db),
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/crm/settings",
    summary: "Set up the CRM/ERP lookup (an omitted header value keeps the stored one)",
    tags,
    access: ["admin"],
    body: crmSettingsBody,
    responses: { 200: crmSettings },
    handler: ({ body }) => saveCrmSettings(ctx.db, body),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/crm",
    summary: "Orders or devices of the ticket's customer from the company's CRM/ERP (cached; ?refresh=true asks again)",
    tags,
    access: "staff",
    params: idParams,
    query: z.object({ refresh: z.enum(["true", "false"]).optional() }),
    responses: { 200: crmLookupResult },
    handler: async ({ principal, params, query }) => {
      const ticket = await loadVisibleTicket(ctx.db, principal, params.id);
      return crmLookup(ctx, ctx.db, ticket, { refresh: query.refresh === "true" });
    },
  });
}
