import * as echarts from "echarts";
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
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 900, height: 420 });
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
