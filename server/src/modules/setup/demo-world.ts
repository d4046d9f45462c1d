/** The demo workspace as the ticket planner sees it, and how it routes and schedules work. */
import type { Shift } from "@loopdesk/contracts/routing";
import type { TicketEventType } from "@loopdesk/contracts/tickets";
import type { Insertable } from "kysely";
import type { TicketMessagesTable, TicketsTable } from "../../db/schema";
import { isOnShift } from "../routing/shifts";
import type { Rng } from "./demo-rng";

export const MIN = 60_000;
export const DAY = 86_400_000;

export type DemoAgent = { id: number; name: string; departmentId: number; shifts: Shift[]; capacity: number; teamIds: number[] };
export type DemoTeamInfo = {
  id: number;
  name: string;
  departmentId: number;
  memberIds: number[];
  fallbackId: number | null;
  strategy: string;
  claimTimeoutMinutes: number;
  /** Whether its members are online for their whole shift (the roster), or only once they sign in. */
  rostered: boolean;
};

/** What planning a ticket's life needs to know of the workspace. */
export type DemoWorld = {
  now: Date;
  timeZone: string;
  agents: Map<number, DemoAgent>;
  teams: Map<number, DemoTeamInfo>;
  /** The team that takes each department's tickets, and the VIP desk. */
  departmentTeam: Map<number, number>;
  vipTeamId: number;
  departments: Map<string, number>;
  categories: Map<string, { id: number; departmentId: number; requires: string[] }>;
  /** Open (assigned) tickets per agent over time, to keep loads under capacity. */
  busy: Map<number, { from: number; to: number }[]>;
  /** Members of a team that goes online by hand who were at work when the demo was seeded (they went online). */
  onlineByHand: Set<number>;
};

export type DemoCustomer = { id: number; tier: string; org: number | null; name: string; hasOrder: boolean };
export type Actor = { type: "staff" | "customer" | "system"; id: number | null };
export type DemoEvent = {
  type: TicketEventType;
  actor_type: Actor["type"];
  actor_id: number | null;
  field: string | null;
  before: string | null;
  after: string | null;
  data: string | null;
  created_at: Date;
};
export type DemoMessage = Omit<Insertable<TicketMessagesTable>, "ticket_id">;
export type DemoDecision = {
  round: number;
  outcome: string;
  team_id: number | null;
  staff_id: number | null;
  strategy: string | null;
  reason: string;
  details: string;
  candidates: string;
  actor_type: string;
  actor_id: number | null;
  created_at: Date;
};

export type PlannedTicket = {
  createdAt: Date;
  ticket: Insertable<TicketsTable>;
  messages: DemoMessage[];
  events: DemoEvent[];
  decisions: DemoDecision[];
  csat: { rating: number; comment: string | null; sentAt: Date; answeredAt: Date } | null;
  /** For the SLA history: the statuses and public messages as the clocks read them. */
  statuses: { at: Date; status: string }[];
  publicMessages: { at: Date; by: "staff" | "customer" }[];
  tier: string;
};

// Arrivals by hour of day (Asia/Shanghai): busy mornings and afternoons, quiet nights.
const HOURLY = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 9, 10, 9, 6, 7, 9, 9, 8, 7, 5, 4, 4, 3, 2, 1.5];

/** Arrival times over the last 90 days, oldest first: more recently (the business grows), by hour of day. */
export function arrivals(r: Rng, now: Date, count: number): number[] {
  const times = Array.from({ length: count }, () => {
    const day = Math.floor(r.next() ** 0.9 * 90);
    const hour = r.weighted(
      HOURLY.map((w, h) => ({ w, h })),
      (x) => x.w,
    ).h;
    const midnight = Math.floor((now.getTime() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 - day * DAY;
    const at = midnight + hour * 3_600_000 + Math.floor(r.next() * 60) * MIN;
    // Later today has not happened yet: that arrival came at the same hour the day before (squeezed
    // into the last hours instead, a whole day's requests would reach the night desk at once).
    return at > now.getTime() - 5 * MIN ? at - DAY : at;
  });
  return times.sort((a, b) => a - b);
}
/** When the shift running at `now` began (local time UTC+8), for those who went online as it did. */
export function shiftStart(shift: { start: string }, now: Date): Date {
  const [h, m] = shift.start.split(":").map(Number) as [number, number];
  const eight = 8 * 3_600_000;
  let start = Math.floor((now.getTime() + eight) / DAY) * DAY - eight + h * 3_600_000 + m * MIN;
  if (start > now.getTime()) start -= DAY;
  return new Date(start);
}

/** How far back arrivals count as "now" for who is online. */
export const RECENT_MS = 6 * 3_600_000;

export const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * The first moment from `at` when someone of these can work (on shift), looking ahead a week and a
 * day — a weekend agent's next shift after Sunday is six days on, finance's after Friday three.
 */
export function nextOnShift(
  world: DemoWorld,
  ids: number[],
  at: number,
  /** Only someone under their capacity then (a queued ticket waits for room, as routing does). */
  withRoom = false,
): { staffId: number; at: number } | null {
  for (let t = at; t < at + 8 * DAY; t += 15 * MIN) {
    const on = ids.filter((id) => {
      const a = world.agents.get(id);
      return a && isOnShift(a.shifts, [], new Date(t), world.timeZone) && (!withRoom || loadAt(world, id, t) < a.capacity);
    });
    if (on.length) return { staffId: on[0] as number, at: t };
  }
  return null;
}

export const loadAt = (world: DemoWorld, staffId: number, at: number) =>
  (world.busy.get(staffId) ?? []).filter((b) => b.from <= at && b.to > at).length;

/** Routing as the product does it: the team's members on shift and under capacity, least loaded first; else the fallback team. */
export function routeIn(
  world: DemoWorld,
  r: Rng,
  teamId: number,
  at: number,
): { staffId: number; teamId: number; fallback: boolean } | null {
  const seen = new Set<number>();
  for (let id: number | null = teamId, hop = 0; id !== null && !seen.has(id); hop++) {
    seen.add(id);
    const team = world.teams.get(id);
    if (!team) break;
    // In the last hours only a roster team's members, and those who went online by hand, are surely
    // online (the others have not signed in on the demo).
    const online = (id: number) => team.rostered || world.onlineByHand.has(id) || at < world.now.getTime() - RECENT_MS;
    const free = team.memberIds
      .map((m) => world.agents.get(m))
      .filter(
        (a): a is DemoAgent =>
          !!a && online(a.id) && isOnShift(a.shifts, [], new Date(at), world.timeZone) && loadAt(world, a.id, at) < a.capacity,
      )
      .map((a) => ({ a, load: loadAt(world, a.id, at) / a.capacity + r.next() * 0.05 }))
      .sort((x, y) => x.load - y.load);
    if (free[0]) return { staffId: free[0].a.id, teamId: id, fallback: hop > 0 };
    id = team.fallbackId;
  }
  return null;
}
