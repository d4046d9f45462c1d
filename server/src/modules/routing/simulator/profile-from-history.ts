import type { Executor } from "../../../platform/jobs/job-queue";
import { typicalHandlingMinutes } from "../../analytics/typical-handling";
import { listCategories } from "../../directory/category-service";
import { listSkills } from "../../directory/team-service";
import { listStaff } from "../../staff/staff-service";
import { arrivalsOn } from "../../tickets/ticket-routing-state";
import { listAgentStates } from "../agent-state-service";
import { listCategorySkills } from "../category-skills";
import type { SimAgent, SimCategory, SimProfile } from "./simulation-profile";

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * A day from this installation's history: the tickets that arrived on `date` (in the workspace
 * time zone) with their categories, each category's learned handling time and required skills,
 * and the active staff with their capacities, skills and weekly shifts for that weekday.
 */
export async function profileFromHistory(
  db: Executor,
  date: string,
  timeZone: string,
  opts: { slaMinutes?: number } = {},
): Promise<SimProfile> {
  const rows = await arrivalsOn(db, date, timeZone);
  const [categories, handling, required, agents, skillNames] = await Promise.all([
    listCategories(db),
    typicalHandlingMinutes(db),
    listCategorySkills(db),
    listAgentStates(db, timeZone, new Date(`${date}T12:00:00Z`)),
    listSkills(db),
  ]);
  const skillName = new Map(skillNames.map((s) => [s.id, s.name]));
  const index = new Map<number | null, number>();
  const simCategories: SimCategory[] = [];
  const categoryIndex = (id: number | null) => {
    let i = index.get(id);
    if (i === undefined) {
      i = simCategories.length;
      index.set(id, i);
      simCategories.push({
        name: categories.find((c) => c.id === id)?.name ?? "—",
        share: 0,
        handlingMinutes: (id !== null ? handling.byCategory.get(id) : undefined) ?? handling.overall ?? 10,
        skills: (required.find((r) => r.categoryId === id)?.skills ?? []).map((r) => ({
          skill: skillName.get(r.skillId) ?? String(r.skillId),
          minLevel: r.minLevel,
        })),
      });
    }
    return i;
  };
  const arrivals = rows.map((r) => ({ minute: r.minute, category: categoryIndex(r.categoryId) }));
  const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const staff = new Map((await listStaff(db)).map((s) => [s.id, s.skills]));
  const simAgents: SimAgent[] = agents.map((a) => {
    const today = a.shiftExceptions.find((e) => e.date === date);
    const shifts = today
      ? today.off || !today.start || !today.end
        ? []
        : [{ start: minutes(today.start), end: minutes(today.end) }]
      : a.shifts.length === 0
        ? [{ start: 0, end: 24 * 60 }]
        : a.shifts.filter((s) => s.weekday === weekday).map((s) => ({ start: minutes(s.start), end: minutes(s.end) }));
    const skills = Object.fromEntries((staff.get(a.staffId) ?? []).map((s) => [skillName.get(s.skillId) ?? String(s.skillId), s.level]));
    return { id: a.staffId, shifts, capacity: a.capacity, skills };
  });
  return {
    name: `history ${date}: ${arrivals.length} tickets, ${simAgents.length} agents`,
    categories: simCategories,
    agents: simAgents,
    arrivals,
    slaMinutes: opts.slaMinutes ?? 30,
    claimTimeoutMinutes: 5,
    claimReactionMinutes: 0.75,
  };
}
