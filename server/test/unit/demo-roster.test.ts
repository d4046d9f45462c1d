import { describe, expect, it } from "vitest";
import { isOnShift } from "../../src/modules/routing/shifts";
import { agents, teams } from "../../src/modules/setup/demo-data";

/** The demo's shifts, as a team would roster them: new after-sales requests find someone at any hour. */
describe("the demo's roster", () => {
  it("has someone of the after-sales team on shift at every half hour of the week", () => {
    const desk = agents
      .filter((a) => a.team === "售后一组")
      .map((a) => a.shift.days.map((weekday) => ({ weekday, start: a.shift.start, end: a.shift.end })));
    const monday = Date.UTC(2026, 10, 30, -8); // Monday 30 November 2026, 00:00 in Beijing
    const uncovered: string[] = [];
    for (let step = 0; step < 7 * 48; step++) {
      const at = new Date(monday + step * 30 * 60_000);
      if (!desk.some((shifts) => isOnShift(shifts, [], at, "Asia/Shanghai"))) uncovered.push(at.toISOString());
    }
    expect(uncovered).toEqual([]);
  });

  it("puts every agent in a team that exists", () => {
    const names = new Set(teams.map((t) => t.name));
    expect(agents.filter((a) => !names.has(a.team))).toEqual([]);
  });
});
