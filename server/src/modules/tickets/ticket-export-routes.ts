import type { FastifyInstance } from "fastify";
import { exportTicketsQuery } from "@loopdesk/contracts/tickets";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { sendSpreadsheet } from "../../platform/files/spreadsheet";
import { exportRows } from "./export-tickets";

/** Any ticket list, as the caller sees it, as a file for a spreadsheet. */
export function registerTicketExportRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/tickets/export",
    summary:
      "The tickets a list shows (same filters and sort), as CSV (UTF-8 with BOM) or Excel; at most 10,000, `X-Export-Truncated: true` when cut",
    tags: ["tickets"],
    access: "staff",
    audit: { action: "tickets.export" },
    query: exportTicketsQuery,
    handler: async ({ reply, principal, query }) => {
      const { format, ...filters } = query;
      // Read-only from here: the export reads a caught-up replica when there is one.
      const reads = { ...ctx, db: await ctx.reads.forReport() };
      const { head, rows, truncated } = await exportRows(reads, principal, filters, principal.locale);
      reply.header("x-export-truncated", String(truncated));
      return sendSpreadsheet(reply, `tickets-${new Date().toISOString().slice(0, 10)}`, format, head, rows);
    },
  });
}
