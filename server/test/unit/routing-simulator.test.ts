import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { simulateDay } from "../../src/modules/routing/simulator/simulate-day";
import { DEFAULT_HANDOFF_ASSUMPTIONS, simulateHandoffs } from "../../src/modules/routing/simulator/simulate-handoffs";
import { DEFAULT_OUTCOME_ASSUMPTIONS, simulateOutcomes } from "../../src/modules/routing/simulator/simulate-outcomes";
import { generatedProfile } from "../../src/modules/routing/simulator/simulation-profile";

const profile = generatedProfile({ tickets: 5000, seed: 7 });

describe("routing simulator", () => {
  it("is repeatable: the same seed gives the same day", () => {
    const a = simulateDay(profile, "least_loaded", 3);
    const b = simulateDay(profile, "least_loaded", 3);
    expect({ ...a, runMs: 0 }).toEqual({ ...b, runMs: 0 });
    expect(a.unfinished).toBe(0);
  });

  it("shows the strategies doing what they claim", () => {
    const [rr, least, aware, skill, claim] = (["round_robin", "least_loaded", "load_aware", "skill", "claim"] as const).map((s) =>
      simulateDay(profile, s),
    );
    // Skill-based never gives a ticket to someone without the skill; the others often do.
    expect(skill?.mismatchRate).toBe(0);
    expect(least?.mismatchRate).toBeGreaterThan(0.5);
    // Balancing by load answers sooner than turn-taking that ignores load, and spreads the load more evenly.
    expect(least?.waitFirstResponse.mean).toBeLessThan(rr?.waitFirstResponse.mean as number);
    expect(aware?.waitFirstResponse.mean).toBeLessThan(rr?.waitFirstResponse.mean as number);
    expect(least?.fairness).toBeLessThan(skill?.fairness as number);
    // Waiting for someone to claim costs time before assignment.
    expect(claim?.waitAssign.mean).toBeGreaterThan(least?.waitAssign.mean as number);
  });

  it("compares the same requests without the product and with it: faster answers, no duplicate dispatch, complete tickets, shorter hand-offs", () => {
    const [before, after] = simulateOutcomes(generatedProfile({ tickets: 2000, seed: 4 }));
    if (!before || !after) throw new Error("two scenarios expected");
    expect(after.requests).toBe(before.requests);
    expect(after.firstResponse.median).toBeLessThan(before.firstResponse.median / 4);
    expect(after.duplicateDispatchRate).toBe(0);
    expect(before.duplicateDispatchRate).toBeGreaterThan(0.15);
    expect(after.completeWhenWorked).toBeGreaterThan(0.95);
    expect(before.completeWhenWorked).toBeLessThan(0.8);
    expect(after.crossDepartmentDays.mean).toBeLessThan(before.crossDepartmentDays.mean / 2);
    // The model follows its assumptions: a dispatcher who spots every copy dispatches none twice.
    const careful = simulateOutcomes(generatedProfile({ tickets: 2000, seed: 4 }), {
      ...DEFAULT_OUTCOME_ASSUMPTIONS,
      dispatcherSpotsDuplicate: 1,
    });
    expect(careful[0]?.duplicateDispatchRate).toBe(0);
  });

  it("runs the same cross-department requests by transfers and by processes: shorter cycles, hand-off waits nearly gone", () => {
    const day = generatedProfile({ tickets: 4000, seed: 5 });
    const [transfers, processes] = simulateHandoffs(day);
    if (!transfers || !processes) throw new Error("two ways expected");
    expect(processes.requests).toBe(transfers.requests);
    expect(transfers.requests).toBeGreaterThan(200);
    expect(processes.cycleDays.mean).toBeLessThan(transfers.cycleDays.mean * 0.75);
    const wait = (r: typeof transfers, stage: string) => r.stages.find((s) => s.stage === stage)?.waitHours.mean ?? Number.NaN;
    // The after-sales review comes first in both: nothing is handed over before it.
    expect(wait(processes, "售后审核")).toBeCloseTo(wait(transfers, "售后审核"), 6);
    for (const stage of ["仓库收货", "财务审批", "财务退款"]) expect(wait(processes, stage)).toBeLessThan(wait(transfers, stage) / 3);
    expect(processes.sendBacks).toBeLessThan(transfers.sendBacks / 4);
    // Only the hand-offs differ: transfers made at once, never sent back, approvals and customers as a process has them, give the same days.
    const same = simulateHandoffs(day, {
      ...DEFAULT_HANDOFF_ASSUMPTIONS,
      transferAtOnce: 1,
      transferForgotten: 0,
      sendBack: { transfers: 0, processes: 0 },
      managerChecks: Array.from({ length: 24 }, (_, h) => h),
      approvalPickUpMinutes: DEFAULT_HANDOFF_ASSUMPTIONS.pickUpMinutes,
      forgetDays: DEFAULT_HANDOFF_ASSUMPTIONS.remindEveryHours / 24,
    });
    expect(same[0]?.cycleDays.mean).toBeCloseTo(same[1]?.cycleDays.mean as number, 0);
  });

  it("`loopdesk simulate` prints the comparison and saves JSON, Markdown and an SVG chart", { timeout: 60_000 }, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-sim-"));
    const serverDir = path.resolve(__dirname, "../..");
    const printed = execFileSync(process.execPath, ["--import", "tsx", "src/main.ts", "simulate", "--tickets", "3000", "--out", out], {
      cwd: serverDir,
      env: { ...process.env, DATA_DIR: out, LOG_LEVEL: "silent" },
      encoding: "utf8",
    });
    expect(printed).toContain("least_loaded");
    const saved = JSON.parse(fs.readFileSync(path.join(out, "simulation.json"), "utf8"));
    expect(saved.results.map((r: { strategy: string }) => r.strategy)).toEqual([
      "round_robin",
      "least_loaded",
      "load_aware",
      "skill",
      "claim",
    ]);
    expect(fs.readFileSync(path.join(out, "simulation.svg"), "utf8")).toMatch(/^<svg/);
    // The same day without the product and with it.
    expect(printed).toContain("Before and with Loopdesk");
    expect(fs.readFileSync(path.join(out, "outcomes.md"), "utf8")).toContain("duplicate dispatch");
    expect(fs.readFileSync(path.join(out, "outcomes.md"), "utf8")).toContain("by a process (流程)");
    expect(saved.outcomes.map((r: { scenario: string }) => r.scenario)).toEqual(["before", "loopdesk"]);
    expect(() =>
      execFileSync(process.execPath, ["--import", "tsx", "src/main.ts", "simulate", "--tickets", "lots"], {
        cwd: serverDir,
        env: { ...process.env, DATA_DIR: out },
        stdio: "pipe",
      }),
    ).toThrow(/--tickets must be a whole number/);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
