import fs from "node:fs";
import path from "node:path";
import { SIM_STRATEGIES, type SimResult, simulateDay } from "./simulate-day";
import type { SimProfile } from "./simulation-profile";
import { comparisonChartSvg, comparisonMarkdown, comparisonTable } from "./simulation-report";

/** Runs every strategy over the profile, prints the comparison and saves it (JSON, Markdown table, SVG chart) in `outDir`. */
export function runSimulation(profile: SimProfile, outDir: string, opts: { seed?: number; print?: (s: string) => void } = {}) {
  const print = opts.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const results: SimResult[] = SIM_STRATEGIES.map((s) => simulateDay(profile, s, opts.seed ?? 1));
  print(`Routing simulation — ${profile.name}; first-response target ${profile.slaMinutes} min\n`);
  print(comparisonTable(results));
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    json: path.join(outDir, "simulation.json"),
    markdown: path.join(outDir, "simulation.md"),
    svg: path.join(outDir, "simulation.svg"),
  };
  fs.writeFileSync(files.json, `${JSON.stringify({ profile: profile.name, slaMinutes: profile.slaMinutes, results }, null, 2)}\n`);
  fs.writeFileSync(files.markdown, `${comparisonMarkdown(results)}\n`);
  fs.writeFileSync(files.svg, comparisonChartSvg(results, profile.name));
  print(`\nSaved ${files.json}, ${files.markdown} and ${files.svg}`);
  return { results, files };
}
