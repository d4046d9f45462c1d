import fs from "node:fs";
import path from "node:path";
import { SIM_STRATEGIES, type SimResult, simulateDay } from "./simulate-day";
import { DEFAULT_HANDOFF_ASSUMPTIONS, simulateHandoffs } from "./simulate-handoffs";
import { DEFAULT_OUTCOME_ASSUMPTIONS, type OutcomeResult, simulateOutcomes } from "./simulate-outcomes";
import type { SimProfile } from "./simulation-profile";
import { comparisonChartSvg, comparisonMarkdown, comparisonTable, handoffsMarkdown, outcomesMarkdown } from "./simulation-report";

/** At most this many requests go through the before/after model (a proportional sample of a bigger day). */
const OUTCOME_SAMPLE = 5_000;

/** Every k-th arrival and agent of the day, so the sample keeps its shape (arrival curve, shifts, skills). */
export function sampledProfile(profile: SimProfile, max = OUTCOME_SAMPLE): SimProfile {
  const k = Math.max(1, Math.ceil(profile.arrivals.length / max));
  if (k === 1) return profile;
  return {
    ...profile,
    name: `${profile.name} (every ${k}th request and agent)`,
    arrivals: profile.arrivals.filter((_, i) => i % k === 0),
    agents: profile.agents.filter((_, i) => i % k === 0),
  };
}

/**
 * Runs every strategy over the profile, then the same day (sampled) without the product and with
 * it; prints both comparisons and saves them (JSON, Markdown tables, SVG chart) in `outDir`.
 */
export function runSimulation(profile: SimProfile, outDir: string, opts: { seed?: number; print?: (s: string) => void } = {}) {
  const print = opts.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const results: SimResult[] = SIM_STRATEGIES.map((s) => simulateDay(profile, s, opts.seed ?? 1));
  print(`Routing simulation — ${profile.name}; first-response target ${profile.slaMinutes} min\n`);
  print(comparisonTable(results));
  const sample = sampledProfile(profile);
  const outcomes: OutcomeResult[] = simulateOutcomes(sample, DEFAULT_OUTCOME_ASSUMPTIONS, opts.seed ?? 1);
  const outcomeText = outcomesMarkdown(outcomes, DEFAULT_OUTCOME_ASSUMPTIONS, sample.name);
  print(`\nBefore and with Loopdesk — ${sample.name}\n`);
  print(outcomeText);
  const handoffs = simulateHandoffs(sample, DEFAULT_HANDOFF_ASSUMPTIONS, opts.seed ?? 1);
  const handoffText = handoffsMarkdown(handoffs, DEFAULT_HANDOFF_ASSUMPTIONS);
  print(`\nCross-department requests: transfers and processes — ${sample.name}\n`);
  print(handoffText);
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    json: path.join(outDir, "simulation.json"),
    markdown: path.join(outDir, "simulation.md"),
    svg: path.join(outDir, "simulation.svg"),
    outcomes: path.join(outDir, "outcomes.md"),
  };
  fs.writeFileSync(
    files.json,
    `${JSON.stringify(
      {
        profile: profile.name,
        slaMinutes: profile.slaMinutes,
        results,
        outcomes,
        assumptions: DEFAULT_OUTCOME_ASSUMPTIONS,
        handoffs,
        handoffAssumptions: DEFAULT_HANDOFF_ASSUMPTIONS,
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(files.markdown, `${comparisonMarkdown(results)}\n`);
  fs.writeFileSync(files.svg, comparisonChartSvg(results, profile.name));
  fs.writeFileSync(files.outcomes, `${outcomeText}\n\n${handoffText}\n`);
  print(`\nSaved ${files.json}, ${files.markdown}, ${files.outcomes} and ${files.svg}`);
  return { results, outcomes, handoffs, files };
}
