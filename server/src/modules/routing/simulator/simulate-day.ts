import type { RoutingStrategy } from "@loopdesk/contracts/routing";
import { type Candidate, bestCandidate } from "../strategies";
import { type SimProfile, seededRandom } from "./simulation-profile";

export type SimStrategy = Exclude<RoutingStrategy, "manual">;
export const SIM_STRATEGIES: SimStrategy[] = ["round_robin", "least_loaded", "load_aware", "skill", "claim"];

export type SimResult = {
  strategy: SimStrategy;
  tickets: number;
  unfinished: number;
  /** Minutes from arrival to assignment, and to the first response (the agent starts on it). */
  waitAssign: { mean: number; p90: number };
  waitFirstResponse: { mean: number; p90: number };
  slaHitRate: number;
  /** Busy minutes over on-shift minutes, all agents. */
  utilisation: number;
  /** Spread of load: coefficient of variation of work done per on-shift hour across agents (lower is fairer). */
  fairness: number;
  /** Share of skill-requiring tickets handled by someone without the skill. */
  mismatchRate: number;
  runMs: number;
};

type Ticket = {
  index: number;
  arrival: number;
  category: number;
  work: number;
  predicted: number;
  assignedAt: number;
  startedAt: number;
  finishedAt: number;
  autoOnly: boolean;
  offered: boolean;
  waiting: boolean;
  mismatch: boolean;
};
type Agent = {
  index: number;
  cand: Candidate;
  skills: Record<string, number>;
  queue: Ticket[];
  current: Ticket | null;
  onShift: boolean;
  busy: number;
  onShiftSince: number;
  onShiftTotal: number;
};
enum Kind {
  Arrive = 0,
  Finish = 1,
  ShiftOn = 2,
  ShiftOff = 3,
  Claim = 4,
  ClaimTimeout = 5,
}
type Event = { t: number; seq: number; kind: Kind; ref: number };

/** A binary min-heap of events by time (then insertion order, so equal times keep their order). */
class EventQueue {
  private items: Event[] = [];
  private seq = 0;
  push(t: number, kind: Kind, ref: number) {
    const e = { t, seq: this.seq++, kind, ref };
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(a[p] as Event, e)) break;
      a[i] = a[p] as Event;
      i = p;
    }
    a[i] = e;
  }
  pop(): Event | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && less(a[r] as Event, a[l] as Event) ? r : l;
        if (less(last, a[c] as Event)) break;
        a[i] = a[c] as Event;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
const less = (x: Event, y: Event) => x.t < y.t || (x.t === y.t && x.seq < y.seq);

const DAYS = 3;
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const p90 = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)] as number;
};

/**
 * Replays a day of arrivals through one strategy, event by event: the same ranking code as the
 * live router picks among agents on shift and under capacity; each agent works their tickets one at
 * a time (first response when they start), an agent lacking a required skill takes 1.8× as long,
 * and at a shift's end untouched tickets return to routing. Agents work their shifts again on the
 * following days until every ticket is done (at most three days).
 */
export function simulateDay(profile: SimProfile, strategy: SimStrategy, seed = 1): SimResult {
  const started = performance.now();
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const cats = profile.categories;
  const tickets: Ticket[] = profile.arrivals.map((a, index) => {
    const m = (cats[a.category] as SimProfile["categories"][number]).handlingMinutes;
    return {
      index,
      arrival: a.minute,
      category: a.category,
      work: m * Math.exp(0.5 * normal() - 0.125),
      predicted: m,
      assignedAt: -1,
      startedAt: -1,
      finishedAt: -1,
      autoOnly: false,
      offered: false,
      waiting: false,
      mismatch: false,
    };
  });
  const agents: Agent[] = profile.agents.map((a, index) => ({
    index,
    cand: { staffId: a.id, load: 0, capacity: a.capacity, workload: 0, skill: 0, lastAssignedAt: null },
    skills: a.skills,
    queue: [],
    current: null,
    onShift: false,
    busy: 0,
    onShiftSince: 0,
    onShiftTotal: 0,
  }));
  const events = new EventQueue();
  for (const [i, t] of tickets.entries()) events.push(t.arrival, Kind.Arrive, i);
  for (const [i, a] of profile.agents.entries())
    for (let d = -1; d < DAYS; d++)
      for (const s of a.shifts) {
        const start = d * 1440 + s.start;
        const end = s.end > s.start ? d * 1440 + s.end : (d + 1) * 1440 + s.end;
        if (end <= 0) continue;
        events.push(Math.max(0, start), Kind.ShiftOn, i);
        events.push(end, Kind.ShiftOff, i);
      }
  let now = 0;
  // Agents on shift and under capacity: the only ones a decision looks at (small when the desk is busy).
  const available = new Set<Agent>();
  const touch = (a: Agent) => {
    if (a.onShift && a.cand.load < a.cand.capacity) available.add(a);
    else available.delete(a);
  };
  const waiting: Ticket[] = [];

  const skillOf = (a: Agent, t: Ticket) => {
    const req = (cats[t.category] as SimProfile["categories"][number]).skills;
    let sum = 0;
    let ok = true;
    for (const r of req) {
      const level = a.skills[r.skill] ?? 0;
      sum += level;
      if (level < r.minLevel) ok = false;
    }
    return { sum, ok, levels: req.length ? sum / req.length : 3, required: req.length > 0 };
  };
  const eligible = (t: Ticket, skillRequired: boolean) => {
    const out: Candidate[] = [];
    for (const a of available) {
      if (skillRequired || strategy === "skill") {
        const s = skillOf(a, t);
        if (!s.ok) continue;
        a.cand.skill = s.sum;
      }
      out.push(a.cand);
    }
    return out;
  };
  const byId = new Map(agents.map((a) => [a.cand.staffId, a]));

  const startNext = (a: Agent) => {
    if (a.current || !a.onShift) return;
    const t = a.queue.shift();
    if (!t) return;
    const s = skillOf(a, t);
    t.mismatch = s.required && !s.ok;
    const factor = !s.required ? 1 : s.ok ? 1.3 - 0.1 * s.levels : 1.8;
    t.startedAt = now;
    a.current = t;
    const duration = t.work * factor;
    a.busy += duration;
    events.push(now + duration, Kind.Finish, a.index);
  };
  const give = (a: Agent, t: Ticket) => {
    t.assignedAt = now;
    leave(t);
    a.queue.push(t);
    a.cand.load++;
    a.cand.workload += t.predicted;
    a.cand.lastAssignedAt = new Date(now * 60_000);
    touch(a);
    startNext(a);
  };
  const assign = (t: Ticket, s: SimStrategy) => {
    const best = bestCandidate(s === "claim" ? "least_loaded" : s, eligible(t, false));
    if (!best) return false;
    give(byId.get(best.staffId) as Agent, t);
    return true;
  };
  const offer = (t: Ticket) => {
    if (eligible(t, false).length === 0) return false;
    t.offered = true;
    leave(t);
    const reaction = -Math.log(1 - rand()) * profile.claimReactionMinutes;
    events.push(now + reaction, Kind.Claim, t.index);
    events.push(now + profile.claimTimeoutMinutes, Kind.ClaimTimeout, t.index);
    return true;
  };
  const route = (t: Ticket) => (strategy === "claim" && !t.autoOnly ? offer(t) : assign(t, strategy));
  const wait = (t: Ticket) => {
    t.waiting = true;
    waiting.push(t);
    waitingByKind.set(kindOf(t), (waitingByKind.get(kindOf(t)) ?? 0) + 1);
  };
  const leave = (t: Ticket) => {
    if (!t.waiting) return;
    t.waiting = false;
    waitingByKind.set(kindOf(t), (waitingByKind.get(kindOf(t)) ?? 1) - 1);
  };
  // Waiting tickets in arrival order; entries before `head` have left. Per kind (the category under
  // skill-based routing, else one kind) how many wait, so a pass stops once every kind is stuck.
  let head = 0;
  const kindOf = (t: Ticket) => (strategy === "skill" ? t.category : 0);
  const waitingByKind = new Map<number, number>();
  const drain = () => {
    while (head < waiting.length && !(waiting[head] as Ticket).waiting) head++;
    const live = [...waitingByKind.values()].filter((n) => n > 0).length;
    const blocked = new Set<number>();
    for (let i = head; i < waiting.length && blocked.size < live; i++) {
      const t = waiting[i] as Ticket;
      if (!t.waiting || blocked.has(kindOf(t))) continue;
      if (!route(t)) blocked.add(kindOf(t));
    }
    if (head > 4096 && head * 2 > waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
  };
  let finished = 0;
  for (let e = events.pop(); e && finished < tickets.length; e = events.pop()) {
    now = e.t;
    if (e.kind === Kind.Arrive) {
      const t = tickets[e.ref] as Ticket;
      if (waiting.length > head || !route(t)) wait(t);
      if (waiting.length > head) drain();
    } else if (e.kind === Kind.Finish) {
      const a = agents[e.ref] as Agent;
      const t = a.current as Ticket;
      t.finishedAt = now;
      finished++;
      a.current = null;
      a.cand.load--;
      a.cand.workload -= t.predicted;
      touch(a);
      startNext(a);
      drain();
    } else if (e.kind === Kind.ShiftOn) {
      const a = agents[e.ref] as Agent;
      if (!a.onShift) {
        a.onShift = true;
        a.onShiftSince = now;
        touch(a);
        startNext(a);
        drain();
      }
    } else if (e.kind === Kind.ShiftOff) {
      const a = agents[e.ref] as Agent;
      if (a.onShift) {
        a.onShift = false;
        a.onShiftTotal += now - a.onShiftSince;
        touch(a);
        // Untouched tickets go back to routing (rebalancing); the current one is finished.
        const back = a.queue.splice(0);
        for (const t of back) {
          a.cand.load--;
          a.cand.workload -= t.predicted;
          t.assignedAt = -1;
          if (!route(t)) wait(t);
        }
      }
    } else if (e.kind === Kind.Claim) {
      const t = tickets[e.ref] as Ticket;
      if (t.assignedAt >= 0 || !t.offered) continue;
      const options = eligible(t, false);
      if (options.length === 0) continue;
      give(byId.get((options[Math.floor(rand() * options.length)] as Candidate).staffId) as Agent, t);
    } else if (e.kind === Kind.ClaimTimeout) {
      const t = tickets[e.ref] as Ticket;
      if (t.assignedAt >= 0 || !t.offered) continue;
      t.offered = false;
      t.autoOnly = true;
      if (!assign(t, "least_loaded")) wait(t);
    }
  }

  // Utilisation counts shift time until the last ticket was done.
  for (const a of agents) if (a.onShift) a.onShiftTotal += now - a.onShiftSince;
  const done = tickets.filter((t) => t.startedAt >= 0);
  const rates = agents.filter((a) => a.onShiftTotal > 0).map((a) => a.busy / (a.onShiftTotal / 60));
  const m = mean(rates);
  const needSkill = tickets.filter((t) => (cats[t.category] as SimProfile["categories"][number]).skills.length > 0 && t.startedAt >= 0);
  const waits = done.map((t) => t.startedAt - t.arrival);
  const assignWaits = tickets.filter((t) => t.assignedAt >= 0).map((t) => t.assignedAt - t.arrival);
  return {
    strategy,
    tickets: tickets.length,
    unfinished: tickets.length - tickets.filter((t) => t.finishedAt >= 0).length,
    waitAssign: { mean: mean(assignWaits), p90: p90(assignWaits) },
    waitFirstResponse: { mean: mean(waits), p90: p90(waits) },
    slaHitRate: tickets.length ? waits.filter((w) => w <= profile.slaMinutes).length / tickets.length : 0,
    utilisation:
      agents.reduce((s, a) => s + a.busy, 0) /
      Math.max(
        1,
        agents.reduce((s, a) => s + a.onShiftTotal, 0),
      ),
    fairness: m > 0 ? Math.sqrt(mean(rates.map((r) => (r - m) ** 2))) / m : 0,
    mismatchRate: needSkill.length ? needSkill.filter((t) => t.mismatch).length / needSkill.length : 0,
    runMs: performance.now() - started,
  };
}
