import type { RoutingStrategy } from "@loopdesk/contracts/routing";

/** An eligible agent as a strategy sees them. */
export type Candidate = {
  staffId: number;
  /** Unsolved tickets assigned now. */
  load: number;
  capacity: number;
  /** Predicted minutes of work in their open tickets (load-aware). */
  workload: number;
  /** Sum of the agent's levels in the ticket's required skills (skill-based). */
  skill: number;
  lastAssignedAt: Date | null;
};

const lastAssigned = (c: Candidate) => c.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
const byLastAssigned = (a: Candidate, b: Candidate) => lastAssigned(a) - lastAssigned(b) || a.staffId - b.staffId;
const byLoad = (a: Candidate, b: Candidate) => a.load / Math.max(1, a.capacity) - b.load / Math.max(1, b.capacity) || a.load - b.load;

const ORDER: Record<Exclude<RoutingStrategy, "claim" | "manual">, (a: Candidate, b: Candidate) => number> = {
  // Whoever has waited longest since their last automatic assignment.
  round_robin: byLastAssigned,
  // Fewest open tickets for their capacity; then round-robin among equals.
  least_loaded: (a, b) => byLoad(a, b) || byLastAssigned(a, b),
  // Least predicted work (open tickets weighted by their category's typical handling time).
  load_aware: (a, b) => a.workload - b.workload || byLoad(a, b) || byLastAssigned(a, b),
  // Best skill match; ties broken by load.
  skill: (a, b) => b.skill - a.skill || byLoad(a, b) || byLastAssigned(a, b),
};

/** Eligible agents in the order the strategy prefers them: the first wins unless the database says they just filled up. */
export function rankCandidates(strategy: RoutingStrategy, candidates: Candidate[]): Candidate[] {
  const order = strategy === "claim" || strategy === "manual" ? ORDER.least_loaded : ORDER[strategy];
  return [...candidates].sort(order);
}

/** The strategy's first choice without sorting everyone (the simulator picks among hundreds per ticket). */
export function bestCandidate(strategy: RoutingStrategy, candidates: Candidate[]): Candidate | undefined {
  const order = strategy === "claim" || strategy === "manual" ? ORDER.least_loaded : ORDER[strategy];
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || order(c, best) < 0) best = c;
  return best;
}
