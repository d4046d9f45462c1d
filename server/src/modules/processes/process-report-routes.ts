import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { processDrillQuery, processReport as processReportSchema, processReportQuery } from "@loopdesk/contracts/processes";
import { ticket } from "@loopdesk/contracts/tickets";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { sendSpreadsheet } from "../../platform/files/spreadsheet";
import { presentedTickets } from "../tickets/ticket-lookup";
import { processDrillTickets, processReport } from "./process-report";

const tags = ["analytics"];
const LEADS = ["admin", "supervisor"] as const;

const HEAD = {
  "zh-CN": [
    "流程",
    "步骤",
    "完成次数",
    "等待领取（中位，小时）",
    "处理（中位，小时）",
    "总耗时中位（小时）",
    "总耗时 P90（小时）",
    "当前停留",
    "最久停留（小时）",
    "已超时",
    "驳回率",
  ],
  en: [
    "Process",
    "Step",
    "Finished",
    "Waiting median (h)",
    "Working median (h)",
    "Total median (h)",
    "Total p90 (h)",
    "Waiting now",
    "Oldest (h)",
    "Overdue",
    "Rejection rate",
  ],
};

/** The processes tab of the reports: cycle and step times, where instances wait, rejection rates; the tickets behind them; export. */
export function registerProcessReportRoutes(app: FastifyInstance, ctx: AppContext) {
  const tz = ctx.config.timeZone;
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/processes",
    summary:
      "Per process: instances started and how they ended, cycle time, time per step (waiting and working), where they wait now, approval rejection rates",
    tags,
    access: [...LEADS],
    query: processReportQuery,
    responses: { 200: processReportSchema },
    handler: ({ principal, query }) => processReport(ctx.db, principal, query, tz),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/processes/tickets",
    summary: "The tickets behind a process number (a process, optionally one step; started, running, finished or waiting there now)",
    tags,
    access: [...LEADS],
    query: processDrillQuery,
    responses: { 200: z.object({ items: z.array(ticket) }) },
    handler: async ({ principal, query }) => ({
      items: await presentedTickets(ctx.db, (await processDrillTickets(ctx.db, principal, query, tz)).slice(0, 500)),
    }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/analytics/processes/export",
    summary: "The process report's step table as CSV or Excel",
    tags,
    access: [...LEADS],
    audit: { action: "analytics.processes.export" },
    query: z.intersection(processReportQuery, z.object({ format: z.enum(["csv", "xlsx"]).default("csv") })),
    handler: async ({ principal, query, reply }) => {
      const report = await processReport(ctx.db, principal, query, tz);
      const head = HEAD[principal.locale];
      const rows = report.items.flatMap((p) =>
        p.steps.map((s) => [
          p.name,
          s.name,
          s.finished,
          s.waitingMedianHours ?? "",
          s.workingMedianHours ?? "",
          s.totalMedianHours ?? "",
          s.totalP90Hours ?? "",
          s.activeNow,
          s.oldestActiveHours ?? "",
          s.overdueNow,
          s.rejectionRate ?? "",
        ]),
      );
      return sendSpreadsheet(reply, `report-processes-${query.from}-${query.to}`, query.format, head, rows);
    },
  });
}
