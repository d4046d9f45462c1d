import { Graph, layout } from "@dagrejs/dagre";

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 56;

/** Positions for a process graph, left to right in layers (dagre's layered layout), top-left corners. */
export function autoLayout(nodes: { id: string }[], edges: { source: string; target: string }[]) {
  const g = new Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 50, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    if (p) out.set(n.id, { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) });
  }
  return out;
}
