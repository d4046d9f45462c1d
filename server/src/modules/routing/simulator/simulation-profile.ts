/** What a simulated day is made of: arrivals, categories with handling times and skills, agents with shifts. */
export type SimCategory = {
  name: string;
  /** Share of arrivals (generated profiles) — weights, need not sum to 1. */
  share: number;
  /** Typical handling time in minutes (a skilled agent, level 3). */
  handlingMinutes: number;
  /** Skills the category requires, with the minimum level. */
  skills: { skill: string; minLevel: number }[];
};
export type SimAgent = {
  id: number;
  /** Working windows in minutes from midnight; an end before the start runs past midnight. */
  shifts: { start: number; end: number }[];
  capacity: number;
  skills: Record<string, number>;
};
export type SimArrival = { minute: number; category: number };
export type SimProfile = {
  name: string;
  categories: SimCategory[];
  agents: SimAgent[];
  arrivals: SimArrival[];
  /** First-response target in minutes. */
  slaMinutes: number;
  /** Claim mode: how long an offer stands before automatic assignment, and the mean time to the first claim. */
  claimTimeoutMinutes: number;
  claimReactionMinutes: number;
};

/** A small seeded generator (mulberry32): the same seed gives the same day. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arrivals per hour of a typical Chinese support day (relative): quiet night, peaks late morning and mid-afternoon. */
export const ARRIVAL_CURVE = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 3, 6, 8, 8.5, 8, 6, 7, 8, 8, 7.5, 6.5, 5, 4, 3.5, 3, 2.2, 1.5];

const CATEGORIES: SimCategory[] = [
  { name: "物流查询", share: 25, handlingMinutes: 2, skills: [] },
  { name: "售后退货", share: 30, handlingMinutes: 4, skills: [] },
  { name: "技术故障", share: 20, handlingMinutes: 8, skills: [{ skill: "技术", minLevel: 2 }] },
  { name: "账单发票", share: 15, handlingMinutes: 3, skills: [{ skill: "财务", minLevel: 2 }] },
  { name: "投诉", share: 10, handlingMinutes: 6, skills: [{ skill: "投诉处理", minLevel: 3 }] },
];
const SHIFTS = [
  { share: 0.25, start: 7 * 60, end: 16 * 60 },
  { share: 0.35, start: 9 * 60, end: 18 * 60 },
  { share: 0.25, start: 13 * 60, end: 22 * 60 },
  { share: 0.15, start: 22 * 60, end: 7 * 60 },
];
const SKILL_SHARES: [string, number][] = [
  ["技术", 0.3],
  ["财务", 0.25],
  ["投诉处理", 0.2],
];

/**
 * A generated day: `tickets` arrivals over the arrival curve, five categories (three needing
 * skills), and enough agents on four shifts for the work (700 per 50,000 tickets).
 */
export function generatedProfile(opts: { tickets: number; agents?: number; seed?: number; slaMinutes?: number }): SimProfile {
  const rand = seededRandom(opts.seed ?? 1);
  const total = ARRIVAL_CURVE.reduce((s, w) => s + w, 0);
  const shareTotal = CATEGORIES.reduce((s, c) => s + c.share, 0);
  const arrivals: SimArrival[] = [];
  for (let i = 0; i < opts.tickets; i++) {
    // Hour by the curve, minute uniform within it; category by share.
    let r = rand() * total;
    let hour = 0;
    while (hour < 23 && r >= (ARRIVAL_CURVE[hour] as number)) r -= ARRIVAL_CURVE[hour++] as number;
    let c = rand() * shareTotal;
    let category = 0;
    while (category < CATEGORIES.length - 1 && c >= (CATEGORIES[category] as SimCategory).share)
      c -= (CATEGORIES[category++] as SimCategory).share;
    arrivals.push({ minute: hour * 60 + rand() * 60, category });
  }
  arrivals.sort((a, b) => a.minute - b.minute);
  const count = opts.agents ?? Math.max(5, Math.ceil((opts.tickets / 50_000) * 700));
  const agents: SimAgent[] = [];
  for (let id = 1; id <= count; id++) {
    const pick = (id - 1) / count;
    let shift = SHIFTS[0] as (typeof SHIFTS)[number];
    for (let i = 0, acc = 0; i < SHIFTS.length; i++) {
      acc += (SHIFTS[i] as typeof shift).share;
      if (acc > pick) {
        shift = SHIFTS[i] as typeof shift;
        break;
      }
    }
    const skills: Record<string, number> = {};
    for (const [skill, share] of SKILL_SHARES) if (rand() < share) skills[skill] = 1 + Math.floor(rand() * 5);
    agents.push({ id, shifts: [{ start: shift.start, end: shift.end }], capacity: 5, skills });
  }
  return {
    name: `generated: ${opts.tickets} tickets, ${count} agents`,
    categories: CATEGORIES,
    agents,
    arrivals,
    slaMinutes: opts.slaMinutes ?? 30,
    claimTimeoutMinutes: 5,
    claimReactionMinutes: 0.75,
  };
}
