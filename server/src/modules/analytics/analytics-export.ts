import type { AnalyticsFilters } from "@loopdesk/contracts/analytics";
import type { Executor } from "../../platform/jobs/job-queue";
import { listCategories } from "../directory/category-service";
import { listDepartments } from "../directory/department-service";
import { agentReport, teamReport } from "./agent-report";
import { overviewReport } from "./overview-report";
import type { Slices } from "./report-range";
import type { ReportScope } from "./report-scope";

export const exportTables = ["daily", "channels", "categories", "departments", "agents", "teams"] as const;
export type ExportTable = (typeof exportTables)[number];

const heads: Record<"zh-CN" | "en", Record<Exclude<ExportTable, "teams">, string[]> & { team: string; members: string }> = {
  "zh-CN": {
    daily: ["日期", "新建", "已解决", "积压", "平均首次响应(秒)", "平均满意度", "SLA 超时"],
    channels: ["渠道", "新建", "已解决", "受理时信息完整率"],
    categories: ["工单类型", "新建", "已解决"],
    departments: ["部门", "新建", "已解决"],
    team: "团队",
    members: "成员数",
    agents: [
      "客服",
      "已处理",
      "首次响应数",
      "平均首次响应(秒)",
      "平均解决时长(秒)",
      "一次解决率",
      "重开率",
      "满意度评价数",
      "平均满意度",
      "SLA 超时",
      "当前负载",
    ],
  },
  en: {
    daily: ["Day", "Created", "Solved", "Backlog", "Mean first response (s)", "Mean CSAT", "SLA breaches"],
    channels: ["Channel", "Created", "Solved", "Complete at creation"],
    categories: ["Category", "Created", "Solved"],
    departments: ["Department", "Created", "Solved"],
    team: "Team",
    members: "Members",
    agents: [
      "Agent",
      "Handled",
      "First responses",
      "Mean first response (s)",
      "Mean resolution (s)",
      "FCR rate",
      "Reopen rate",
      "Ratings",
      "Mean CSAT",
      "SLA breaches",
      "Load",
    ],
  },
};

const num = (v: number | null) => (v === null ? "" : Math.round(v * 100) / 100);

/** One report table as rows for a CSV or Excel file. */
export async function reportTableRows(
  db: Executor,
  timeZone: string,
  table: ExportTable,
  f: AnalyticsFilters & Slices,
  locale: string,
  scope: ReportScope,
) {
  const h = heads[locale === "en" ? "en" : "zh-CN"];
  // The team table is the agent table with a member count after the name.
  const head = table === "teams" ? [h.team, h.members, ...h.agents.slice(1)] : h[table];
  const none = locale === "en" ? "(none)" : "（未设置）";
  if (table === "agents" || table === "teams") {
    const items =
      table === "agents"
        ? await agentReport(db, f.from, f.to, scope.agentIds ?? undefined)
        : await teamReport(db, f.from, f.to, { departmentIds: scope.departmentIds });
    return {
      head,
      rows: items.map((a) => [
        a.name,
        ...("members" in a ? [a.members] : []),
        a.handled,
        a.firstResponses,
        num(a.frtMean),
        num(a.resolutionMean),
        num(a.fcrRate),
        num(a.reopenRate),
        a.csatCount,
        num(a.csatAverage),
        a.slaBreached,
        a.load,
      ]),
    };
  }
  const o = await overviewReport(db, f, timeZone);
  if (table === "daily")
    return { head, rows: o.daily.map((d) => [d.day, d.created, d.resolved, d.backlog, num(d.frtMean), num(d.csatAverage), d.slaBreached]) };
  if (table === "channels")
    return { head, rows: o.byChannel.map((c) => [c.channel, c.created, c.resolved, num(c.completeAtCreation.rate)]) };
  if (table === "categories") {
    const names = new Map((await listCategories(db)).map((c) => [c.id, c.name]));
    return { head, rows: o.byCategory.map((c) => [names.get(c.categoryId) ?? none, c.created, c.resolved]) };
  }
  const names = new Map((await listDepartments(db)).map((d) => [d.id, d.name]));
  return { head, rows: o.byDepartment.map((d) => [names.get(d.departmentId) ?? none, d.created, d.resolved]) };
}
