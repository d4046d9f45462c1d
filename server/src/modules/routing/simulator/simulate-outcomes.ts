import { DAY, MinHeap, mean, quantile, Worker, workingWindows } from "./sim-queue";
import { type SimProfile, seededRandom } from "./simulation-profile";

/**
 * What the before/after comparison assumes, stated so a reader can check it (docs/outcomes.md).
 * "Before": a team without the product — a dispatcher copies requests from mailboxes and chat
 * groups into a spreadsheet and hands them out in batches, nobody notices that a customer wrote
 * twice, missing details are discovered by the agent and asked for then, and work for another
 * department is posted in its chat group. "Loopdesk": the same day of requests with routing at
 * arrival, one customer across channels, 信息不全 asked at intake, and 转派 to the department's team.
 */
export type OutcomeAssumptions = {
  /** A customer writes again through a second channel (mail and chat) for this share of requests, after 15–120 min. */
  writesTwiceShare: number;
  /** Before: the share of second copies the dispatcher spots in the spreadsheet (the rest are dispatched again). */
  dispatcherSpotsDuplicate: number;
  /** Loopdesk: the share of second copies linked to the first (same customer identity across channels). */
  loopdeskLinksDuplicate: number;
  /** Requests arriving without a required detail (order number, device model) — the same requests in both. */
  incompleteShare: number;
  /** Median time for a customer to answer a question about a missing detail (minutes, log-normal), and the share who never answer. */
  answerMinutes: number;
  neverAnswer: number;
  /** Requests that need a second department (refund after a return, a replacement part…). */
  handOffShare: number;
  /** Before: the dispatcher's round through the spreadsheet, during office hours only (minutes, and hours of day). */
  dispatchEveryMinutes: number;
  dispatcherHours: [number, number];
  /** Before: when the other department reads its chat group (hours of day), and the share of posts it overlooks. */
  chatChecks: number[];
  chatOverlooked: number;
  /** Before: an overlooked hand-off resurfaces when the customer chases it, after this many days. */
  chaseAfterDays: number;
  /** Work on the second department's step (minutes, log-normal median). */
  handOffWorkMinutes: number;
  /** Minutes between a request reaching an agent and the agent picking it up (log-normal median), in both ways of working. */
  pickUpMinutes: number;
};

export const DEFAULT_OUTCOME_ASSUMPTIONS: OutcomeAssumptions = {
  writesTwiceShare: 0.15,
  dispatcherSpotsDuplicate: 0.7,
  loopdeskLinksDuplicate: 1,
  incompleteShare: 0.28,
  answerMinutes: 240,
  neverAnswer: 0.05,
  handOffShare: 0.2,
  dispatchEveryMinutes: 90,
  dispatcherHours: [9, 18],
  chatChecks: [10, 16],
  chatOverlooked: 0.35,
  chaseAfterDays: 5,
  handOffWorkMinutes: 15,
  pickUpMinutes: 5,
};

export type OutcomeResult = {
  scenario: "before" | "loopdesk";
  requests: number;
  /** Minutes from arrival to the first answer (median, mean, p90). */
  firstResponse: { median: number; mean: number; p90: number };
  /** Second copies of a request that were handed out as work of their own. */
  duplicateDispatchRate: number;
  /** Tickets that had every required detail when an agent started on them. */
  completeWhenWorked: number;
  /** Days from arrival to the end of the second department's step (median, mean), for hand-off requests. */
  crossDepartmentDays: { median: number; mean: number };
};

/**
 * The same day of requests through both ways of working. Both use the same agents, shifts and
 * handling times, and the same random draws for each request (which are duplicates, incomplete,
 * hand-offs, how long answers take), so the difference is the way of working only.
 */
export function simulateOutcomes(profile: SimProfile, a = DEFAULT_OUTCOME_ASSUMPTIONS, seed = 1): OutcomeResult[] {
  const days = 21;
  const windows = workingWindows(profile, days);
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const logNormal = (median: number) => median * Math.exp(0.6 * normal());
  // Each request's draws, shared by both scenarios.
  const requests = profile.arrivals.map((r) => ({
    arrival: r.minute,
    work: (profile.categories[r.category]?.handlingMinutes ?? 4) * Math.exp(0.5 * normal() - 0.125),
    twice: rand() < a.writesTwiceShare,
    secondAfter: 15 + rand() * 105,
    spotted: rand(),
    incomplete: rand() < a.incompleteShare,
    answer: rand() < a.neverAnswer ? Number.POSITIVE_INFINITY : logNormal(a.answerMinutes),
    handOff: rand() < a.handOffShare,
    overlooked: rand() < a.chatOverlooked,
    handOffWork: logNormal(a.handOffWorkMinutes),
    handOffAgent: rand(),
    pickUp: logNormal(a.pickUpMinutes),
  }));
  // The front line is the day's agents; the other departments have half as many people, on the same kinds of shifts.
  const first = profile.agents.map((_, i) => i);
  const second = profile.agents.map((_, i) => i).filter((i) => i % 2 === 0);

  const run = (scenario: "before" | "loopdesk"): OutcomeResult => {
    const workers = windows.map((w) => new Worker(w));
    const others = new Map(second.map((i) => [i, new Worker(windows[i] as [number, number][])]));
    const firstResponse: number[] = [];
    const cycle: number[] = [];
    let complete = 0;
    let duplicates = 0;
    let dispatchedDuplicates = 0;
    let turn = 0;
    /** The dispatcher hands out in turn; routing gives it to whoever of the pool can start soonest. */
    const pick = (pool: number[], at: number) => {
      if (scenario === "before") return pool[turn++ % pool.length] as number;
      let best = pool[0] as number;
      let soonest = Number.POSITIVE_INFINITY;
      for (const i of pool) {
        const starts = (workers[i] as Worker).startsAt(at);
        if (starts < soonest) {
          soonest = starts;
          best = i;
        }
      }
      return best;
    };
    /** When a request reaches an agent: at once (routing), or at the dispatcher's next round in office hours. */
    const dispatchedAt = (t: number) => {
      if (scenario === "loopdesk") return t;
      const [open, close] = a.dispatcherHours;
      for (let d = Math.floor(t / DAY); d < days; d++)
        for (let m = open * 60; m < close * 60; m += a.dispatchEveryMinutes) if (d * DAY + m >= t) return d * DAY + m;
      return t;
    };
    const nextChatCheck = (t: number) => {
      for (let d = Math.floor(t / DAY); d < days; d++) for (const h of a.chatChecks) if (d * DAY + h * 60 >= t) return d * DAY + h * 60;
      return t;
    };
    // Work is taken in the order it becomes ready, so each agent's queue stays first come, first served.
    type Job = {
      ready: number;
      r: (typeof requests)[number];
      kind: "work" | "ask" | "resume" | "follow" | "copy" | "handoff";
      agent?: number;
    };
    const queue = new MinHeap<Job>((x, y) => x.ready - y.ready);
    for (const r of requests) {
      if (!r.incomplete) queue.push({ ready: dispatchedAt(r.arrival) + r.pickUp, r, kind: "work" });
      else if (scenario === "before") queue.push({ ready: dispatchedAt(r.arrival) + r.pickUp, r, kind: "ask" });
      // 信息不全 is asked for exactly what is missing at intake; the ticket is routed once it is complete.
      else if (Number.isFinite(r.answer)) queue.push({ ready: r.arrival + r.answer + r.pickUp, r, kind: "work" });
      else queue.push({ ready: r.arrival + r.pickUp, r, kind: "follow" });
      if (r.twice) {
        duplicates++;
        const linked = r.spotted < (scenario === "before" ? a.dispatcherSpotsDuplicate : a.loopdeskLinksDuplicate);
        // Not linked: handed out again, someone works the same request twice.
        if (!linked) {
          dispatchedDuplicates++;
          queue.push({ ready: dispatchedAt(r.arrival + r.secondAfter), r, kind: "copy" });
        }
      }
    }
    const handOff = (r: (typeof requests)[number], done: number) => {
      if (!r.handOff) return;
      // Before: posted in the other department's chat group, read at its next check (or, overlooked, when the customer chases).
      const seen = scenario === "before" ? nextChatCheck(r.overlooked ? done + a.chaseAfterDays * DAY : done) : done;
      queue.push({ ready: seen, r, kind: "handoff" });
    };
    for (let job = queue.pop(); job; job = queue.pop()) {
      const { r } = job;
      if (job.kind === "handoff") {
        const other = others.get(second[Math.floor(r.handOffAgent * second.length)] as number) as Worker;
        cycle.push((other.work(job.ready, r.handOffWork).end - r.arrival) / DAY);
        continue;
      }
      const agent = job.agent ?? pick(first, job.ready);
      const w = workers[agent] as Worker;
      if (job.kind === "copy") {
        w.work(job.ready, r.work);
        continue;
      }
      if (job.kind === "ask") {
        // The agent finds the gap when starting, asks, and works on it once the customer answered.
        const ask = w.work(job.ready, 2);
        firstResponse.push(ask.start - r.arrival);
        if (Number.isFinite(r.answer)) queue.push({ ready: ask.end + r.answer, r, kind: "resume", agent });
        else handOff(r, ask.end);
        continue;
      }
      if (job.kind === "follow") {
        // Never answered: an agent follows it up, still without the detail.
        const slot = w.work(job.ready, 2);
        firstResponse.push(slot.start - r.arrival);
        handOff(r, slot.end);
        continue;
      }
      const slot = w.work(job.ready, r.work);
      if (job.kind === "work") {
        firstResponse.push(slot.start - r.arrival);
        complete++;
      }
      handOff(r, slot.end);
    }
    return {
      scenario,
      requests: requests.length,
      firstResponse: { median: quantile(firstResponse, 0.5), mean: mean(firstResponse), p90: quantile(firstResponse, 0.9) },
      duplicateDispatchRate: duplicates ? dispatchedDuplicates / duplicates : 0,
      completeWhenWorked: complete / requests.length,
      crossDepartmentDays: { median: quantile(cycle, 0.5), mean: mean(cycle) },
    };
  };
  return [run("before"), run("loopdesk")];
}
