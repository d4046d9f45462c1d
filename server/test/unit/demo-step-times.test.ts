import { describe, expect, it } from "vitest";
import { scheduleSteps } from "../../src/modules/setup/demo-step-times";

const H = 3_600_000;
const at = (ms: number) => new Date(1_000_000 + ms);

describe("the demo's process step times", () => {
  it("runs steps one after another, parallel branches together, the step after a join when both are done", () => {
    // Replayed: A ends and starts B and C together; C ends, then B ends and starts D.
    const steps = [
      { id: 1, startedAt: at(0), completedAt: at(10) },
      { id: 2, startedAt: at(10), completedAt: at(30) },
      { id: 3, startedAt: at(10), completedAt: at(20) },
      { id: 4, startedAt: at(30), completedAt: null },
    ];
    const lengths = new Map([
      [1, 2 * H],
      [2, 10 * H],
      [3, 3 * H],
      [4, 5 * H],
    ]);
    const times = scheduleSteps(steps, lengths, 0, 100 * H);
    expect(times.get(1)).toEqual({ start: 0, end: 2 * H });
    expect(times.get(2)).toEqual({ start: 2 * H, end: 12 * H });
    expect(times.get(3)).toEqual({ start: 2 * H, end: 5 * H });
    expect(times.get(4)).toEqual({ start: 12 * H, end: null });
  });

  it("ends steps cancelled together at one time, and never after the end", () => {
    const steps = [
      { id: 1, startedAt: at(0), completedAt: at(10) },
      { id: 2, startedAt: at(10), completedAt: at(50) },
      { id: 3, startedAt: at(10), completedAt: at(50) },
    ];
    const times = scheduleSteps(
      steps,
      new Map([
        [1, H],
        [2, 30 * H],
        [3, 4 * H],
      ]),
      0,
      20 * H,
    );
    expect(times.get(2)?.end).toBe(20 * H);
    expect(times.get(3)).toEqual({ start: H, end: 20 * H });
  });

  it("gives a step its length when the replay started and finished it in the same millisecond as the one before", () => {
    // Replayed fast: A ends, B starts and ends, C starts, all at one millisecond.
    const steps = [
      { id: 1, startedAt: at(0), completedAt: at(5) },
      { id: 2, startedAt: at(5), completedAt: at(5) },
      { id: 3, startedAt: at(5), completedAt: null },
    ];
    const times = scheduleSteps(
      steps,
      new Map([
        [1, H],
        [2, 2 * H],
        [3, 4 * H],
      ]),
      0,
      100 * H,
    );
    expect(times.get(1)).toEqual({ start: 0, end: H });
    expect(times.get(2)).toEqual({ start: H, end: 3 * H });
    expect(times.get(3)).toEqual({ start: 3 * H, end: null });
  });
});
