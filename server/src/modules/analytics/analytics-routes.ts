import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import {
  agentReport as agentReportSchema,
  agentReportQuery,
  type AgentStats,
  agentStats,
  analyticsFilters,
  drilldownExportQuery,
  drilldownPage as drilldownPageSchema,
  drilldownQuery,
  overviewReport as overviewSchema,
  teamReport as teamReportSchema,
  teamStats,
} from "@loopdesk/contracts/analytics";
import type { AppContext } from "../../platform/context";
import { ForbiddenError, NotFoundError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { type Cell, sendSpreadsheet } from "../../platform/files/spreadsheet";
import { displayRows } from "../tickets/export-tickets";
import { presentedTickets } from "../tickets/ticket-lookup";
import { agentReport, teamMemberIds, teamReport } from "./agent-report";
import { exportTables, reportTableRows } from "./analytics-export";
import { drilldownIds, drilldownPage } from "./drilldown";
import { overviewReport } from "./overview-report";
import { type ReportScope, assertAgentInScope, reportScopeFor, scopedAgents, scopedFilters } from "./report-scope";

const tags = ["analytics"];
const LEADS = ["admin", "supervisor"] as const;
const EXPORT_LIMIT = 10_000;

const sendFile = (reply: FastifyReply, name: string, format: "csv" | "xlsx", head: string[], rows: Cell[][]) =>
  sendSpreadsheet(reply, `${name}-${new Date().toISOString().slice(0, 10)}`, format, head, rows);

/** Agents see the tickets behind their own numbers; supervisors their departments' and their people's; admins everyone's. */
function assertMayDrill(principal: StaffPrincipal, agentId: number | undefined, scope: ReportScope) {
  if (principal.role === "agent" && agentId !== principal.id) throw ForbiddenError("Agents may open only their own numbers.");
  if (agentId !== undefined) assertAgentInScope(principal, agentId, scope);
}

/**
 * The filters of a drill-down for this reader: an agent's own numbers are theirs wherever the
 * tickets went (no department limit); everything else is limited to the reader's departments.
 */
function drillFilters<F extends { agentId?: number; departmentId?: number }>(f: F, scope: ReportScope) {
  return f.agentId !== undefined ? f : scopedFilters(f, scope);
}

/** Reports (复盘): dashboards read rollups; every number opens the tickets behind it. */
export function registerAnalyticsRoutes(app: FastifyInstance, ctx: AppContext) {
  const tz = ctx.config.timeZone;
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/overview",
    summary:
      "Supervisor overview for a day range: volume, response and resolution times, FCR, transfers, reopens, repeats, CSAT, SLA, backlog, heatmap",
    tags,
    access: [...LEADS],
    query: analyticsFilters,
    responses: { 200: overviewSchema },
    handler: async ({ principal, query }) =>
      overviewReport(await ctx.reads.forReport(), scopedFilters(query, await reportScopeFor(ctx.db, principal)), tz),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/agents",
    summary: "Per agent for a day range: handled, first response and resolution times, FCR, reopens, CSAT, SLA breaches, current load",
    tags,
    access: [...LEADS],
    query: agentReportQuery,
    responses: { 200: agentReportSchema },
    handler: async ({ principal, query }) => {
      const members = query.teamId !== undefined ? await teamMemberIds(ctx.db, query.teamId) : undefined;
      if (members === null) throw NotFoundError("Team");
      const agents = scopedAgents(members, await reportScopeFor(ctx.db, principal));
      return { from: query.from, to: query.to, items: await agentReport(await ctx.reads.forReport(), query.from, query.to, agents) };
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/teams",
    summary: "Teams side by side (each team's members added up)",
    tags,
    access: [...LEADS],
    query: agentReportQuery.omit({ teamId: true }),
    responses: { 200: teamReportSchema },
    handler: async ({ principal, query }) => {
      const scope = await reportScopeFor(ctx.db, principal);
      return {
        from: query.from,
        to: query.to,
        items: await teamReport(await ctx.reads.forReport(), query.from, query.to, { departmentIds: scope.departmentIds }),
      };
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/me",
    summary: "The caller's own numbers for a day range, with their teams' for comparison",
    tags,
    access: "staff",
    query: agentReportQuery.omit({ teamId: true }),
    responses: { 200: z.object({ from: z.string(), to: z.string(), me: agentStats, teams: z.array(teamStats) }) },
    handler: async ({ principal, query }) => {
      const reads = await ctx.reads.forReport();
      const [me] = await agentReport(reads, query.from, query.to, [principal.id]);
      return {
        from: query.from,
        to: query.to,
        me: me as AgentStats,
        teams: await teamReport(reads, query.from, query.to, { memberId: principal.id }),
      };
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/tickets",
    summary: "The tickets behind a dashboard number (same range and slices; `agentId` for an agent's numbers)",
    tags,
    access: "staff",
    query: drilldownQuery,
    responses: { 200: drilldownPageSchema },
    handler: async ({ principal, query }) => {
      const scope = await reportScopeFor(ctx.db, principal);
      assertMayDrill(principal, query.agentId, scope);
      return drilldownPage(await ctx.reads.forReport(), drillFilters(query, scope), tz, principal);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/tickets/export",
    summary: "The tickets behind a dashboard number as CSV or Excel (at most 10,000; `X-Export-Truncated: true` when cut)",
    tags,
    access: "staff",
    audit: { action: "analytics.tickets.export" },
    query: drilldownExportQuery,
    handler: async ({ principal, query, reply }) => {
      const scope = await reportScopeFor(ctx.db, principal);
      assertMayDrill(principal, query.agentId, scope);
      const { format, ...f } = query;
      const reads = await ctx.reads.forReport();
      const { ids, truncated } = await drilldownIds(reads, drillFilters(f, scope), tz, EXPORT_LIMIT, principal);
      const { head, rows } = await displayRows(ctx, await presentedTickets(reads, ids), principal.locale);
      reply.header("x-export-truncated", String(truncated));
      return sendFile(reply, `tickets-${f.metric}`, format, head, rows);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/export",
    summary: "A report table (daily, channels, categories, departments, agents, teams) as CSV or Excel",
    tags,
    access: [...LEADS],
    audit: { action: "analytics.export" },
    query: z.intersection(analyticsFilters, z.object({ table: z.enum(exportTables), format: z.enum(["csv", "xlsx"]).default("csv") })),
    handler: async ({ principal, query, reply }) => {
      const { table, format, ...f } = query;
      const scope = await reportScopeFor(ctx.db, principal);
      const { head, rows } = await reportTableRows(
        await ctx.reads.forReport(),
        tz,
        table,
        scopedFilters(f, scope),
        principal.locale,
        scope,
      );
      return sendFile(reply, `report-${table}`, format, head, rows);
    },
  });
}
