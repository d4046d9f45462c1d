import type { HandoffAssumptions, HandoffResult } from "./simulate-handoffs";
import type { OutcomeAssumptions, OutcomeResult } from "./simulate-outcomes";
import type * as Echarts from "echarts";
import { lazyModule } from "../../../platform/modules/lazy-module";

const echarts = lazyModule<typeof Echarts>("echarts");
import type { SimResult } from "./simulate-day";

const fixed = (n: number, d = 1) => n.toFixed(d);
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The comparison as a plain-text table (what `loopdesk simulate` prints). */
export function comparisonTable(results: SimResult[]) {
  const header = [
    "strategy",
    "wait→assign mean/p90 (min)",
    "wait→first response mean/p90 (min)",
    "SLA hit",
    "utilisation",
    "load spread (CV)",
    "skill mismatch",
    "run (ms)",
  ];
  const rows = results.map((r) => [
    r.strategy,
    `${fixed(r.waitAssign.mean)} / ${fixed(r.waitAssign.p90)}`,
    `${fixed(r.waitFirstResponse.mean)} / ${fixed(r.waitFirstResponse.p90)}`,
    pct(r.slaHitRate),
    pct(r.utilisation),
    fixed(r.fairness, 2),
    pct(r.mismatchRate),
    fixed(r.runMs, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The same as a Markdown table (docs/routing.md). */
export function comparisonMarkdown(results: SimResult[]) {
  const head =
    "| strategy | wait → assign, mean / p90 (min) | wait → first response, mean / p90 (min) | first response within SLA | utilisation | load spread (CV) | skill mismatch |";
  const sep = "|---|---|---|---|---|---|---|";
  const rows = results.map(
    (r) =>
      `| ${r.strategy} | ${fixed(r.waitAssign.mean)} / ${fixed(r.waitAssign.p90)} | ${fixed(r.waitFirstResponse.mean)} / ${fixed(r.waitFirstResponse.p90)} | ${pct(r.slaHitRate)} | ${pct(r.utilisation)} | ${fixed(r.fairness, 2)} | ${pct(r.mismatchRate)} |`,
  );
  return [head, sep, ...rows].join("\n");
}

/** A bar chart of the comparison as an SVG image (ECharts rendered on the server, no browser). */
export function comparisonChartSvg(results: SimResult[], title: string) {
  const chart = echarts().init(null, null, { renderer: "svg", ssr: true, width: 900, height: 420 });
  chart.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    title: { text: title, left: "center", top: 4, textStyle: { fontSize: 14 } },
    legend: { top: 34 },
    grid: [
      { left: 60, right: 480, top: 90, bottom: 40 },
      { left: 510, right: 30, top: 90, bottom: 40 },
    ],
    xAxis: [
      { type: "category", gridIndex: 0, data: results.map((r) => r.strategy), axisLabel: { interval: 0, fontSize: 10 } },
      { type: "category", gridIndex: 1, data: results.map((r) => r.strategy), axisLabel: { interval: 0, fontSize: 10 } },
    ],
    yAxis: [
      { type: "value", gridIndex: 0, name: "minutes" },
      { type: "value", gridIndex: 1, name: "%", max: 100 },
    ],
    series: [
      {
        name: "first response p90 (min)",
        type: "bar",
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: results.map((r) => Number(fixed(r.waitFirstResponse.p90))),
      },
      {
        name: "first response mean (min)",
        type: "bar",
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: results.map((r) => Number(fixed(r.waitFirstResponse.mean))),
      },
      { name: "SLA hit %", type: "bar", xAxisIndex: 1, yAxisIndex: 1, data: results.map((r) => Number(fixed(r.slaHitRate * 100))) },
      {
        name: "skill mismatch %",
        type: "bar",
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: results.map((r) => Number(fixed(r.mismatchRate * 100))),
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

const minutes = (m: number) => (m < 90 ? `${m.toFixed(0)} min` : `${(m / 60).toFixed(1)} h`);
const share = (x: number) => `${(x * 100).toFixed(0)}%`;

/** The before/after comparison as a Markdown table, with the assumptions it rests on. */
export function outcomesMarkdown(results: OutcomeResult[], a: OutcomeAssumptions, profileName: string) {
  const [before, after] = [results.find((r) => r.scenario === "before"), results.find((r) => r.scenario === "loopdesk")];
  if (!before || !after) return "";
  const row = (label: string, f: (r: OutcomeResult) => string) => `| ${label} | ${f(before)} | ${f(after)} |`;
  return [
    `Requests: ${before.requests} (${profileName}).`,
    "",
    "| | before | with Loopdesk |",
    "|---|---:|---:|",
    row("first response, median", (r) => minutes(r.firstResponse.median)),
    row("first response, mean", (r) => minutes(r.firstResponse.mean)),
    row("first response, p90", (r) => minutes(r.firstResponse.p90)),
    row("duplicate dispatch (second copies handed out as new work)", (r) => share(r.duplicateDispatchRate)),
    row("complete when an agent starts", (r) => share(r.completeWhenWorked)),
    row("cross-department cycle, median", (r) => `${r.crossDepartmentDays.median.toFixed(1)} d`),
    row("cross-department cycle, mean", (r) => `${r.crossDepartmentDays.mean.toFixed(1)} d`),
    "",
    "Assumptions (both columns use the same requests, agents, shifts and random draws):",
    "",
    `- ${share(a.writesTwiceShare)} of customers write a second time through another channel 15–120 min later; before, the dispatcher spots ${share(a.dispatcherSpotsDuplicate)} of those copies; Loopdesk links ${share(a.loopdeskLinksDuplicate)} (one customer across channels, duplicate detection).`,
    `- ${share(a.incompleteShare)} of requests lack a required detail; customers answer a question about it after a median ${minutes(a.answerMinutes)} (${share(a.neverAnswer)} never do). Before, the agent discovers the gap when starting and asks then; Loopdesk asks for exactly the missing fields at intake (信息不全) and routes the ticket once it is complete.`,
    `- Before, a dispatcher works through the spreadsheet every ${a.dispatchEveryMinutes} min between ${a.dispatcherHours[0]}:00 and ${a.dispatcherHours[1]}:00 and hands requests out in turn; Loopdesk routes each request on arrival to the agent who can start soonest.`,
    `- ${share(a.handOffShare)} of requests need a second department (with half as many people as the front line, on the same kinds of shifts) for a step of about ${minutes(a.handOffWorkMinutes)}. Before, it is posted in that department's chat group, read at ${a.chatChecks.map((h) => `${h}:00`).join(" and ")}; ${share(a.chatOverlooked)} of posts are overlooked until the customer chases after ${a.chaseAfterDays} days. Loopdesk transfers it (转派) to the department's team at once.`,
    `- In both, an agent picks a request up a median ${minutes(a.pickUpMinutes)} after it reaches them. Handling times per category and the agents' shifts come from the generated day of the routing simulation.`,
  ].join("\n");
}

/** Cross-department requests by transfers and by processes, with the assumptions (docs/outcomes.md). */
export function handoffsMarkdown(results: HandoffResult[], a: HandoffAssumptions) {
  const [transfers, processes] = [results.find((r) => r.mode === "transfers"), results.find((r) => r.mode === "processes")];
  if (!transfers || !processes) return "";
  const hours = (h: number) => (h < 1.5 ? `${(h * 60).toFixed(0)} min` : h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`);
  const days = (d: number) => `${d.toFixed(1)} d`;
  const stageRows = transfers.stages.map((s, i) => {
    const p = processes.stages[i] as (typeof processes.stages)[number];
    return `| waiting before ${s.stage} (${s.requests} requests), mean / p90 | ${hours(s.waitHours.mean)} / ${hours(s.waitHours.p90)} | ${hours(p.waitHours.mean)} / ${hours(p.waitHours.p90)} |`;
  });
  return [
    `Cross-department requests (跨境退换货: 售后审核 → 客户寄回 → 仓库收货 → 财务审批 for large refunds → 财务退款): ${transfers.requests}, ${share(a.share)} of the day.`,
    "",
    "| | by transfers (转派) | by a process (流程) |",
    "|---|---:|---:|",
    `| cycle, median | ${days(transfers.cycleDays.median)} | ${days(processes.cycleDays.median)} |`,
    `| cycle, mean | ${days(transfers.cycleDays.mean)} | ${days(processes.cycleDays.mean)} |`,
    `| cycle, p90 | ${days(transfers.cycleDays.p90)} | ${days(processes.cycleDays.p90)} |`,
    ...stageRows,
    `| stages sent back for missing information | ${transfers.sendBacks} | ${processes.sendBacks} |`,
    "",
    "Assumptions (both columns use the same requests, people, shifts, work times and customer delays):",
    "",
    `- Work per stage (median): 售后审核 ${a.work.review} min, 仓库收货 ${a.work.receive} min, 财务审批 ${a.work.approve} min (${share(a.approvalShare)} of refunds), 财务退款 ${a.work.refund} min; in both, an agent starts a median ${minutes(a.pickUpMinutes)} after work reaches their queue, and the team's member who can start soonest takes it.`,
    `- The customer sends the goods after a median ${a.shipDays} days; ${share(a.customerForgets)} forget until reminded — by transfers they remember by themselves after ${a.forgetDays} days, a process's customer step reminds them every ${a.remindEveryHours} h. The warehouse starts when both the parcel and the ticket have reached it.`,
    `- By transfers, ${share(a.transferAtOnce)} of hand-offs are made as soon as a stage is done, the rest when the holder gets back to the ticket (a median ${minutes(a.transferLaterMinutes)} of their working time later), and ${share(a.transferForgotten)} are forgotten until the customer chases after ${a.chaseAfterDays} days. A process starts the next step's task at once.`,
    `- ${share(a.sendBack.transfers)} of stages reached by transfer are sent back for missing information (a few minutes each way, and the hand-offs again); a process step's form asks for it up front (${share(a.sendBack.processes)}).`,
    `- By transfers, the finance manager reads approval requests in chat at ${a.managerChecks.map((h) => `${h}:00`).join(" and ")}; a process puts an approval task in their queue, taken after a median ${minutes(a.approvalPickUpMinutes)}.`,
  ].join("\n");
}
