import { DAY, MinHeap, mean, quantile, Worker, workingWindows } from "./sim-queue";
import { type SimProfile, seededRandom } from "./simulation-profile";

/**
 * What the cross-department comparison assumes (docs/outcomes.md): a 跨境退换货 request —
 * 售后审核 (after-sales) → the customer sends the goods back → 仓库收货 (warehouse) → 财务审批 (the
 * finance manager, for large refunds) → 财务退款 (finance) — handled by transfers (转派) from
 * department to department, or by a process that runs inside the ticket. Both handle the same
 * requests with the same people, shifts, work times and customer delays; only the hand-offs differ.
 */
export type HandoffAssumptions = {
  /** Share of the day's requests that cross departments this way. */
  share: number;
  /** Work per stage in minutes (log-normal medians). */
  work: { review: number; receive: number; approve: number; refund: number };
  /** Refunds large enough to need the finance manager's approval. */
  approvalShare: number;
  /** The customer sends the goods after a median of this many days; some forget until reminded. */
  shipDays: number;
  customerForgets: number;
  /** Transfers: a customer who forgot remembers by themselves after this many days; a process reminds them every `remindEveryHours`. */
  forgetDays: number;
  remindEveryHours: number;
  /** Transfers: the share of hand-offs done as soon as a stage is finished; the rest wait until the holder gets back to the ticket (median minutes of their working time); some are forgotten until the customer chases. */
  transferAtOnce: number;
  transferLaterMinutes: number;
  transferForgotten: number;
  chaseAfterDays: number;
  /** A stage sent back for missing information (a few minutes each way, and the hand-offs again). A process step's form asks for it up front. */
  sendBack: { transfers: number; processes: number };
  /** Transfers: the manager reads approval requests in chat at these hours; a process puts an approval task in their queue, taken after a median of `approvalPickUpMinutes`. */
  managerChecks: number[];
  approvalPickUpMinutes: number;
  /** Minutes between work reaching an agent's queue and the agent starting (log-normal median), in both. */
  pickUpMinutes: number;
};

export const DEFAULT_HANDOFF_ASSUMPTIONS: HandoffAssumptions = {
  share: 0.1,
  work: { review: 12, receive: 15, approve: 5, refund: 8 },
  approvalShare: 0.3,
  shipDays: 1.5,
  customerForgets: 0.2,
  forgetDays: 4,
  remindEveryHours: 24,
  transferAtOnce: 0.6,
  transferLaterMinutes: 180,
  transferForgotten: 0.08,
  chaseAfterDays: 3,
  sendBack: { transfers: 0.25, processes: 0.03 },
  managerChecks: [10, 16],
  approvalPickUpMinutes: 30,
  pickUpMinutes: 5,
};

export const HANDOFF_STAGES = ["售后审核", "客户寄回", "仓库收货", "财务审批", "财务退款"] as const;
type Stage = (typeof HANDOFF_STAGES)[number];
type AgentStage = Exclude<Stage, "客户寄回">;

export type HandoffResult = {
  mode: "transfers" | "processes";
  requests: number;
  /** Days from arrival to the refund (median, mean, p90). */
  cycleDays: { median: number; mean: number; p90: number };
  /** Per stage: hours from the previous stage's end (the arrival, for the first) to the start of its work, mean and p90; `requests` that passed it. */
  stages: { stage: Stage; requests: number; waitHours: { mean: number; p90: number }; workMinutes: number }[];
  /** Stages sent back for missing information. */
  sendBacks: number;
};

/** The same cross-department requests by transfers and by processes. */
export function simulateHandoffs(profile: SimProfile, a = DEFAULT_HANDOFF_ASSUMPTIONS, seed = 1): HandoffResult[] {
  const days = 60;
  const windows = workingWindows(profile, days);
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const logNormal = (median: number) => median * Math.exp(0.6 * normal());
  // A hand-off's draws: done at once, later (after how long), or forgotten.
  const handOff = () => ({ u: rand(), later: logNormal(a.transferLaterMinutes) });
  const requests = profile.arrivals
    .filter(() => rand() < a.share)
    .map((r) => ({
      arrival: r.minute,
      work: {
        售后审核: logNormal(a.work.review),
        仓库收货: logNormal(a.work.receive),
        财务审批: logNormal(a.work.approve),
        财务退款: logNormal(a.work.refund),
      } as Record<AgentStage, number>,
      ship: a.shipDays * DAY * Math.exp(0.6 * normal()),
      forgets: rand() < a.customerForgets,
      approval: rand() < a.approvalShare,
      sendBack: { 仓库收货: rand(), 财务审批: rand(), 财务退款: rand() } as Record<string, number>,
      handOffs: Array.from({ length: 8 }, handOff),
      pickUps: Array.from({ length: 8 }, () => normal()),
    }));
  const pools: Record<AgentStage, number[]> = { 售后审核: [], 仓库收货: [], 财务审批: [], 财务退款: [] };
  profile.agents.forEach((_, i) => {
    if (i % 2 === 0) pools.售后审核.push(i);
    else if (i % 4 === 1) pools.仓库收货.push(i);
    else pools.财务退款.push(i);
    if (i % 20 === 3) pools.财务审批.push(i);
  });
  if (pools.财务审批.length === 0) pools.财务审批.push(pools.财务退款[0] ?? 0);

  const run = (mode: "transfers" | "processes"): HandoffResult => {
    const workers = windows.map((w) => new Worker(w));
    const pick = (pool: number[], at: number) =>
      pool.reduce(
        (best, i) => ((workers[i] as Worker).startsAt(at) < (workers[best] as Worker).startsAt(at) ? i : best),
        pool[0] as number,
      );
    const waits = new Map<Stage, number[]>(HANDOFF_STAGES.map((s) => [s, []]));
    const cycle: number[] = [];
    let sendBacks = 0;
    const managerCheck = (t: number) => {
      for (let d = Math.floor(t / DAY); d < days; d++) for (const h of a.managerChecks) if (d * DAY + h * 60 >= t) return d * DAY + h * 60;
      return t;
    };
    type Req = (typeof requests)[number];
    type Job = { ready: number; r: Req; stage: AgentStage; since: number; back?: AgentStage; n: number };
    const queue = new MinHeap<Job>((x, y) => x.ready - y.ready);
    /** When the next holder can see the work: at once in a process; by transfer when the holder gets to it. */
    const handedOver = (r: Req, n: number, done: number, holder: Worker) => {
      if (mode === "processes") return done;
      const h = r.handOffs[n % r.handOffs.length] as { u: number; later: number };
      if (h.u < a.transferForgotten) return done + a.chaseAfterDays * DAY;
      if (h.u < a.transferForgotten + (1 - a.transferForgotten) * a.transferAtOnce) return done;
      return holder.startsAt(done + h.later);
    };
    const next = (r: Req, stage: AgentStage): AgentStage | null => {
      if (stage === "售后审核") return "仓库收货";
      if (stage === "仓库收货") return r.approval ? "财务审批" : "财务退款";
      return stage === "财务审批" ? "财务退款" : null;
    };
    for (const r of requests) queue.push({ ready: r.arrival, r, stage: "售后审核", since: r.arrival, n: 0 });
    for (let job = queue.pop(); job; job = queue.pop()) {
      const { r, stage } = job;
      const agent = pick(pools[stage], job.ready);
      const w = workers[agent] as Worker;
      const approvalByTask = stage === "财务审批" && mode === "processes";
      const pickUp = (approvalByTask ? a.approvalPickUpMinutes : a.pickUpMinutes) * Math.exp(0.6 * (r.pickUps[job.n % 8] as number));
      if (job.back) {
        // Sent back here: add what is missing, and hand it on again.
        const fix = w.work(job.ready + pickUp, 5);
        queue.push({ ready: handedOver(r, job.n, fix.end, w), r, stage: job.back, since: job.since, n: job.n + 1 });
        continue;
      }
      const ready = stage === "财务审批" && mode === "transfers" ? managerCheck(job.ready) : job.ready;
      const sentBack = job.n < 4 && (r.sendBack[stage] ?? 1) < a.sendBack[mode];
      if (sentBack) {
        sendBacks++;
        const look = w.work(ready + pickUp, 3);
        const previous: AgentStage = stage === "仓库收货" ? "售后审核" : stage === "财务退款" && r.approval ? "财务审批" : "仓库收货";
        queue.push({ ready: handedOver(r, job.n, look.end, w), r, stage: previous, since: job.since, back: stage, n: job.n + 1 });
        continue;
      }
      const slot = w.work(ready + pickUp, r.work[stage]);
      waits.get(stage)?.push((slot.start - job.since) / 60);
      const to = next(r, stage);
      if (!to) {
        cycle.push((slot.end - r.arrival) / DAY);
        continue;
      }
      const handed = handedOver(r, job.n + 2, slot.end, w);
      if (stage === "售后审核") {
        // The customer sends the goods; the warehouse starts when both the parcel and the ticket have reached it.
        const remind = mode === "processes" ? a.remindEveryHours * 60 : a.forgetDays * DAY;
        const arrives = slot.end + r.ship + (r.forgets ? remind : 0);
        waits.get("客户寄回")?.push((arrives - slot.end) / 60);
        queue.push({ ready: Math.max(arrives, handed), r, stage: to, since: arrives, n: job.n + 3 });
      } else queue.push({ ready: handed, r, stage: to, since: slot.end, n: job.n + 3 });
    }
    return {
      mode,
      requests: requests.length,
      cycleDays: { median: quantile(cycle, 0.5), mean: mean(cycle), p90: quantile(cycle, 0.9) },
      stages: HANDOFF_STAGES.map((stage) => {
        const xs = waits.get(stage) ?? [];
        const work = stage === "客户寄回" ? 0 : mean(requests.map((r) => r.work[stage as AgentStage]));
        return { stage, requests: xs.length, waitHours: { mean: mean(xs), p90: quantile(xs, 0.9) }, workMinutes: work };
      }),
      sendBacks,
    };
  };
  return [run("transfers"), run("processes")];
}
