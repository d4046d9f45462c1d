import type { NodeType, ProcessEdge, ProcessGraph, ProcessNode } from "@loopdesk/contracts/processes";
import type { Connection, EdgeChange, NodeChange } from "@xyflow/react";
import { useCallback, useRef, useState } from "react";
import { autoLayout } from "../graph-layout";

const HISTORY = 100;

/** A new node of a kind with the settings it cannot do without (a task needs an owner, an approval a level). */
export function newNode(type: NodeType, id: string, position: { x: number; y: number }, name: string): ProcessNode {
  const base = { id, name, position };
  switch (type) {
    case "task":
      return { ...base, type, stage: "", owner: { type: "assignee" }, instructions: "", form: [], target: null };
    case "approval":
      return {
        ...base,
        type,
        stage: "",
        levels: [{ name: "", approvers: [{ type: "role", role: "supervisor", departmentId: null }], mode: "any", when: [] }],
        instructions: "",
        form: [],
        target: null,
        rejectTo: null,
      };
    case "subprocess":
      return { ...base, type, stage: "", processKey: "" };
    default:
      return { ...base, type } as ProcessNode;
  }
}

function freshId(graph: ProcessGraph, prefix: string) {
  const taken = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/**
 * The graph being designed, its selection, and undo/redo. Every change goes through `commit`, which
 * keeps the previous graph for undo; a drag is one step, recorded when it starts.
 */
export function useDesigner(initial: ProcessGraph) {
  const [graph, setGraphState] = useState<ProcessGraph>(initial);
  const current = useRef(initial);
  const [selected, setSelected] = useState<{ kind: "node" | "edge"; id: string } | null>(null);
  const past = useRef<ProcessGraph[]>([]);
  const future = useRef<ProcessGraph[]>([]);
  const dragging = useRef(false);
  // Handlers run one at a time, so the graph is kept in a ref (read synchronously) and mirrored in state.
  const setGraph = useCallback((next: ProcessGraph | ((g: ProcessGraph) => ProcessGraph)) => {
    current.current = typeof next === "function" ? next(current.current) : next;
    setGraphState(current.current);
  }, []);

  const commit = useCallback(
    (next: ProcessGraph | ((g: ProcessGraph) => ProcessGraph)) => {
      const g = current.current;
      const value = typeof next === "function" ? next(g) : next;
      if (value === g) return;
      past.current = [...past.current.slice(-HISTORY + 1), g];
      future.current = [];
      setGraph(value);
    },
    [setGraph],
  );

  const undo = useCallback(() => {
    const prev = past.current.at(-1);
    if (!prev) return;
    past.current = past.current.slice(0, -1);
    future.current = [current.current, ...future.current];
    setGraph(prev);
  }, [setGraph]);
  const redo = useCallback(() => {
    const next = future.current[0];
    if (!next) return;
    future.current = future.current.slice(1);
    past.current = [...past.current, current.current];
    setGraph(next);
  }, [setGraph]);

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      for (const c of changes) {
        if (c.type === "select" && c.selected) setSelected({ kind: "node", id: c.id });
        if (c.type === "position" && c.position) {
          const pos = c.position;
          // The first move of a drag is recorded for undo; the rest only move.
          if (!dragging.current && c.dragging) {
            dragging.current = true;
            commit((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === c.id ? { ...n, position: pos } : n)) }));
          } else setGraph((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === c.id ? { ...n, position: pos } : n)) }));
        }
        if (c.type === "position" && c.dragging === false) dragging.current = false;
        if (c.type === "remove") {
          commit((g) => {
            const node = g.nodes.find((n) => n.id === c.id);
            if (!node || node.type === "start") return g; // the start stays
            return { nodes: g.nodes.filter((n) => n.id !== c.id), edges: g.edges.filter((e) => e.source !== c.id && e.target !== c.id) };
          });
          setSelected(null);
        }
      }
    },
    [commit, setGraph],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      for (const c of changes) {
        if (c.type === "select" && c.selected) setSelected({ kind: "edge", id: c.id });
        if (c.type === "remove") {
          commit((g) => ({ ...g, edges: g.edges.filter((e) => e.id !== c.id) }));
          setSelected(null);
        }
      }
    },
    [commit],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target || c.source === c.target) return;
      commit((g) => {
        if (g.edges.some((e) => e.source === c.source && e.target === c.target)) return g;
        const fromGateway = g.nodes.find((n) => n.id === c.source)?.type === "exclusive";
        const edge: ProcessEdge = {
          id: freshId(g, "e"),
          source: c.source,
          target: c.target,
          label: "",
          when: [],
          // The first branch out of a condition gateway is its default until another is made so.
          isDefault: fromGateway && !g.edges.some((e) => e.source === c.source),
        };
        return { ...g, edges: [...g.edges, edge] };
      });
    },
    [commit],
  );

  const addNode = useCallback(
    (type: NodeType, position: { x: number; y: number }, name: string) => {
      let id = "";
      commit((g) => {
        id = freshId(g, type === "parallel_split" || type === "parallel_join" ? "p" : type.slice(0, 4));
        return { ...g, nodes: [...g.nodes, newNode(type, id, position, name)] };
      });
      return id;
    },
    [commit],
  );

  const updateNode = useCallback(
    (id: string, patch: Partial<ProcessNode>) =>
      commit((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === id ? ({ ...n, ...patch } as ProcessNode) : n)) })),
    [commit],
  );
  const updateEdge = useCallback(
    (id: string, patch: Partial<ProcessEdge>) =>
      commit((g) => ({
        ...g,
        edges: g.edges.map((e) => {
          if (e.id === id) return { ...e, ...patch };
          // One default per gateway: making this one the default clears its siblings.
          const mine = g.edges.find((x) => x.id === id);
          return patch.isDefault && mine && e.source === mine.source ? { ...e, isDefault: false } : e;
        }),
      })),
    [commit],
  );

  const layout = useCallback(
    () =>
      commit((g) => {
        const at = autoLayout(g.nodes, g.edges);
        return { ...g, nodes: g.nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position })) };
      }),
    [commit],
  );

  const reset = useCallback(
    (next: ProcessGraph) => {
      past.current = [];
      future.current = [];
      setGraph(next);
      setSelected(null);
    },
    [setGraph],
  );

  return {
    graph,
    selected,
    setSelected,
    onNodesChange,
    onEdgesChange,
    onConnect,
    addNode,
    updateNode,
    updateEdge,
    layout,
    undo,
    redo,
    reset,
    canUndo: past.current.length > 0,
    canRedo: future.current.length > 0,
  };
}
