import type { ProcessEdge, ProcessGraph, ProcessNode } from "@loopdesk/contracts/processes";
import { processGraph } from "@loopdesk/contracts/processes";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Evaluate, finishStep, GraphIndex, startFlow } from "../../src/modules/processes/process-engine";
import { type ProcessRefs, validateProcess } from "../../src/modules/processes/validate-process";

const refs: ProcessRefs = {
  departments: new Set([1, 2, 3]),
  teams: new Set([1]),
  staff: new Set([1, 2]),
  calendars: new Set([1]),
  ticketFields: new Set(["amount"]),
  processKeys: new Set(),
  categories: new Set([1]),
};

/** A structured block of a process: a step, a sequence, an exclusive choice or a parallel split. */
type Block =
  | { kind: "task" }
  | { kind: "approval"; reject: boolean }
  | { kind: "seq"; items: Block[] }
  | { kind: "xor"; branches: Block[] }
  | { kind: "par"; branches: Block[] };

const blockArb: fc.Arbitrary<Block> = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant({ kind: "task" as const }),
    fc.record({ kind: fc.constant("approval" as const), reject: fc.boolean() }),
    fc.record({ kind: fc.constant("seq" as const), items: fc.array(tie("block"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant("xor" as const), branches: fc.array(tie("block"), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant("par" as const), branches: fc.array(tie("block"), { minLength: 2, maxLength: 3 }) }),
  ),
})).block;

/** Builds the graph of a block between start and end; an approval may send a rejection back to the previous step of its sequence. */
function build(block: Block): ProcessGraph {
  const nodes: ProcessNode[] = [];
  const edges: ProcessEdge[] = [];
  let n = 0;
  const node = (type: ProcessNode["type"], extra: Record<string, unknown> = {}) => {
    const id = `${type}${n++}`;
    nodes.push(processGraph.shape.nodes.element.parse({ id, type, ...extra }));
    return id;
  };
  const edge = (source: string, target: string, extra: Partial<ProcessEdge> = {}) =>
    edges.push({ id: `e${edges.length}`, source, target, label: "", when: [], isDefault: false, ...extra });
  const owner = { type: "department", departmentId: 1 };
  // Returns [entry, exit] of the block; `previousStep` is the step before it in its sequence.
  const emit = (b: Block, previousStep: string | null): [string, string] => {
    switch (b.kind) {
      case "task": {
        const id = node("task", { owner });
        return [id, id];
      }
      case "approval": {
        const id = node("approval", {
          levels: [{ approvers: [owner] }],
          rejectTo: b.reject && previousStep ? previousStep : null,
        });
        return [id, id];
      }
      case "seq": {
        let first: string | null = null;
        let last: string | null = null;
        let prevStep = previousStep;
        for (const item of b.items) {
          const [entry, exit] = emit(item, prevStep);
          if (last) edge(last, entry);
          first ??= entry;
          last = exit;
          prevStep = item.kind === "task" || item.kind === "approval" ? exit : null;
        }
        return [first as string, last as string];
      }
      case "xor":
      case "par": {
        const split = node(b.kind === "xor" ? "exclusive" : "parallel_split");
        const join = node(b.kind === "xor" ? "exclusive" : "parallel_join");
        b.branches.forEach((branch, i) => {
          const [entry, exit] = emit(branch, null);
          const isDefault = b.kind === "xor" && i === b.branches.length - 1;
          edge(
            split,
            entry,
            b.kind === "xor" ? { isDefault, when: isDefault ? [] : [{ field: "priority", op: "is", value: `p${i}` }] } : {},
          );
          edge(exit, join, b.kind === "xor" ? { isDefault: i === 0 } : {});
        });
        // The merging gateway leaves by its default.
        const after = node("task", { owner });
        edge(join, after, b.kind === "xor" ? { isDefault: true } : {});
        return [split, after];
      }
    }
  };
  const start = node("start");
  const [entry, exit] = emit(block, null);
  const end = node("end");
  edge(start, entry);
  edge(exit, end);
  // Edges into a merging exclusive gateway are not its branches: only its way out is default.
  for (const e of edges) if (nodes.find((x) => x.id === e.source)?.type !== "exclusive") e.isDefault = false;
  return { nodes, edges };
}

describe("process engine", () => {
  it("over random valid graphs: ends or waits only on allowed steps, never a step twice, joins wait for every branch", () => {
    fc.assert(
      fc.property(blockArb, fc.array(fc.nat(), { minLength: 200, maxLength: 200 }), fc.nat(5), (block, choices, priority) => {
        const graph = build(block);
        expect(validateProcess(graph, refs)).toEqual([]);
        const g = new GraphIndex(graph);
        const evaluate: Evaluate = (conds) => conds.every((c) => c.value === `p${priority}`);
        // Nodes after each other along the graph's edges may never wait at once.
        const after = new Map<string, Set<string>>();
        const reach = (id: string) => {
          const cached = after.get(id);
          if (cached) return cached;
          const seen = new Set<string>();
          const stack = g.out(id).map((e) => e.target);
          while (stack.length) {
            const x = stack.pop() as string;
            if (seen.has(x)) continue;
            seen.add(x);
            for (const e of g.out(x)) stack.push(e.target);
          }
          after.set(id, seen);
          return seen;
        };
        const check = (active: string[]) => {
          expect(new Set(active).size).toBe(active.length);
          for (const id of active) {
            expect(["task", "approval", "subprocess"]).toContain(g.node(id).type);
            for (const other of active) if (other !== id) expect(reach(id).has(other)).toBe(false);
          }
        };
        let flow = startFlow(g, evaluate);
        check(flow.state.active);
        let i = 0;
        while (!flow.state.ended && i < choices.length) {
          const active = flow.state.active;
          expect(active.length).toBeGreaterThan(0); // never stuck with nothing to do
          const pick = active[(choices[i] as number) % active.length] as string;
          const node = g.node(pick);
          const reject = node.type === "approval" && node.rejectTo !== null && (choices[i] as number) % 4 === 0;
          flow = finishStep(g, flow.state, pick, reject ? "rejected" : "done", evaluate);
          check(flow.state.active);
          i++;
        }
        if (flow.state.ended) {
          expect(flow.state.active).toEqual([]);
          expect(flow.state.joins).toEqual({});
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a parallel join passes on only when every branch has arrived", () => {
    const graph = build({ kind: "par", branches: [{ kind: "task" }, { kind: "task" }, { kind: "task" }] });
    const g = new GraphIndex(graph);
    const ok: Evaluate = () => true;
    let flow = startFlow(g, ok);
    const branches = [...flow.state.active];
    expect(branches).toHaveLength(3);
    flow = finishStep(g, flow.state, branches[0] as string, "done", ok);
    flow = finishStep(g, flow.state, branches[1] as string, "done", ok);
    expect(flow.activated).toEqual([]);
    expect(Object.values(flow.state.joins)[0]).toHaveLength(2);
    flow = finishStep(g, flow.state, branches[2] as string, "done", ok);
    expect(flow.activated).toHaveLength(1); // the step after the join
    flow = finishStep(g, flow.state, flow.activated[0] as string, "done", ok);
    expect(flow.state.ended).toBe("completed");
  });

  it("a rejection goes back to the named step; without one the process ends as rejected", () => {
    const graph = build({ kind: "seq", items: [{ kind: "task" }, { kind: "approval", reject: true }] });
    const g = new GraphIndex(graph);
    const ok: Evaluate = () => true;
    let flow = startFlow(g, ok);
    const task = flow.state.active[0] as string;
    flow = finishStep(g, flow.state, task, "done", ok);
    const approval = flow.state.active[0] as string;
    flow = finishStep(g, flow.state, approval, "rejected", ok);
    expect(flow.state.active).toEqual([task]);
    const lone = build({ kind: "approval", reject: false });
    const lg = new GraphIndex(lone);
    const f = startFlow(lg, ok);
    expect(finishStep(lg, f.state, f.state.active[0] as string, "rejected", ok).state.ended).toBe("rejected");
  });

  it("validation pins each problem to its node", () => {
    const graph = build({ kind: "xor", branches: [{ kind: "task" }, { kind: "task" }] });
    const gateway = graph.nodes.find((n) => n.type === "exclusive") as ProcessNode;
    for (const e of graph.edges) if (e.source === gateway.id) e.isDefault = false;
    const orphan = processGraph.shape.nodes.element.parse({ id: "orphan", type: "task", owner: { type: "team", teamId: 99 } });
    const join = processGraph.shape.nodes.element.parse({ id: "lonely_join", type: "parallel_join" });
    graph.nodes.push(orphan, join);
    graph.edges.push({ id: "x1", source: "orphan", target: "lonely_join", label: "", when: [], isDefault: false });
    const codes = validateProcess(graph, refs).map((p) => `${p.nodeId}:${p.code}`);
    expect(codes).toContain(`${gateway.id}:gateway_without_default`);
    expect(codes).toContain("orphan:unreachable");
    expect(codes).toContain("orphan:unknown_team");
    expect(codes).toContain("lonely_join:dead_end");
    expect(codes).toContain("lonely_join:join_needs_branches");
  });
});
