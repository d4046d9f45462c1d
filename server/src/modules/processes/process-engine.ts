import type { EngineState } from "../../db/schema-processes";
import type { ProcessCondition, ProcessEdge, ProcessGraph, ProcessNode } from "@loopdesk/contracts/processes";

/**
 * The token flow of a process, without a database: where the tokens are (the steps waiting on
 * people, the branches that reached each join) and what happens when a step finishes. Gateways
 * and joins pass tokens on at once; only steps (task, approval, sub-process) wait.
 */
export type Evaluate = (conditions: ProcessCondition[]) => boolean;
export type TrailEntry = { nodeId: string; note: string | null };
export type Flow = { state: EngineState; activated: string[]; trail: TrailEntry[] };

export const WAITING_TYPES = new Set(["task", "approval", "subprocess"]);
const MAX_HOPS = 10_000;

export class ProcessFlowError extends Error {}

/** Lookup tables of a graph, built once per use. */
export class GraphIndex {
  readonly nodes = new Map<string, ProcessNode>();
  readonly outgoing = new Map<string, ProcessEdge[]>();
  readonly incoming = new Map<string, ProcessEdge[]>();
  constructor(readonly graph: ProcessGraph) {
    for (const n of graph.nodes) {
      this.nodes.set(n.id, n);
      this.outgoing.set(n.id, []);
      this.incoming.set(n.id, []);
    }
    for (const e of graph.edges) {
      this.outgoing.get(e.source)?.push(e);
      this.incoming.get(e.target)?.push(e);
    }
  }
  node(id: string) {
    const n = this.nodes.get(id);
    if (!n) throw new ProcessFlowError(`unknown node ${id}`);
    return n;
  }
  out(id: string) {
    return this.outgoing.get(id) ?? [];
  }
  in(id: string) {
    return this.incoming.get(id) ?? [];
  }
  start() {
    const s = this.graph.nodes.find((n) => n.type === "start");
    if (!s) throw new ProcessFlowError("no start node");
    return s;
  }
}

type Token = { nodeId: string; edgeId: string | null };

function run(g: GraphIndex, state: EngineState, tokens: Token[], evaluate: Evaluate): Flow {
  const next: EngineState = { active: [...state.active], joins: structuredClone(state.joins), ended: state.ended };
  const activated: string[] = [];
  const trail: TrailEntry[] = [];
  const queue = [...tokens];
  let hops = 0;
  let reachedEnd = false;
  while (queue.length) {
    if (++hops > MAX_HOPS) throw new ProcessFlowError("the process loops without a step that waits");
    const token = queue.shift() as Token;
    const node = g.node(token.nodeId);
    const along = (edges: ProcessEdge[]) => {
      for (const e of edges) queue.push({ nodeId: e.target, edgeId: e.id });
    };
    switch (node.type) {
      case "start":
        along(g.out(node.id));
        break;
      case "task":
      case "approval":
      case "subprocess":
        if (next.active.includes(node.id)) {
          trail.push({ nodeId: node.id, note: "already_active" });
          break;
        }
        next.active.push(node.id);
        activated.push(node.id);
        trail.push({ nodeId: node.id, note: null });
        break;
      case "exclusive": {
        const out = g.out(node.id);
        const chosen = out.find((e) => !e.isDefault && evaluate(e.when)) ?? out.find((e) => e.isDefault);
        if (!chosen) throw new ProcessFlowError(`gateway ${node.id} has no branch to take`);
        trail.push({ nodeId: node.id, note: chosen.label || chosen.id });
        along([chosen]);
        break;
      }
      case "parallel_split":
        trail.push({ nodeId: node.id, note: null });
        along(g.out(node.id));
        break;
      case "parallel_join": {
        const arrived = new Set(next.joins[node.id] ?? []);
        if (token.edgeId) arrived.add(token.edgeId);
        const needed = g.in(node.id).map((e) => e.id);
        if (needed.every((id) => arrived.has(id))) {
          delete next.joins[node.id];
          trail.push({ nodeId: node.id, note: null });
          along(g.out(node.id));
        } else next.joins[node.id] = [...arrived];
        break;
      }
      case "end":
        reachedEnd = true;
        trail.push({ nodeId: node.id, note: null });
        break;
    }
  }
  // Done when nothing waits any more: no step, no branch half-way to its join.
  if (reachedEnd && next.active.length === 0 && Object.keys(next.joins).length === 0) next.ended = "completed";
  return { state: next, activated, trail };
}

/** Starts a process: the token leaves the start node and runs until steps wait. */
export function startFlow(g: GraphIndex, evaluate: Evaluate): Flow {
  return run(g, { active: [], joins: {}, ended: null }, [{ nodeId: g.start().id, edgeId: null }], evaluate);
}

/**
 * A waiting step finished. Approved or done: on along its edge. Rejected: back to the step its
 * approval names (the tokens elsewhere stay), or the whole process ends as rejected.
 */
export function finishStep(g: GraphIndex, state: EngineState, nodeId: string, outcome: "done" | "rejected", evaluate: Evaluate): Flow {
  if (state.ended) throw new ProcessFlowError("the process has ended");
  if (!state.active.includes(nodeId)) throw new ProcessFlowError(`step ${nodeId} is not active`);
  const rest: EngineState = { ...state, active: state.active.filter((id) => id !== nodeId) };
  const node = g.node(nodeId);
  if (outcome === "rejected") {
    const back = node.type === "approval" ? node.rejectTo : null;
    if (!back) return { state: { active: [], joins: {}, ended: "rejected" }, activated: [], trail: [{ nodeId, note: "rejected" }] };
    return run(g, rest, [{ nodeId: back, edgeId: null }], evaluate);
  }
  return run(
    g,
    rest,
    g.out(nodeId).map((e) => ({ nodeId: e.target, edgeId: e.id })),
    evaluate,
  );
}
