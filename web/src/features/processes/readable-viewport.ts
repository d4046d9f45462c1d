import { getNodesBounds, type Node, type ReactFlowInstance } from "@xyflow/react";

/** Below this zoom a step's name is too small to read. */
const MIN_READABLE_ZOOM = 0.75;

/**
 * Shows the whole graph when it fits at a readable size; a longer one at the smallest readable
 * size from its beginning (or centred on the `focus` nodes, where a running instance is), the rest
 * a pan (or the zoom buttons) away.
 */
// biome-ignore lint/suspicious/noExplicitAny: any node and edge data
export function showReadable(flow: ReactFlowInstance<any, any>, container: HTMLElement | null, focus: string[] = []) {
  const nodes = flow.getNodes() as Node[];
  const fitAll = () => void flow.fitView({ maxZoom: 1, padding: 0.08 });
  if (!container || nodes.length === 0) return fitAll();
  const bounds = getNodesBounds(nodes);
  const { width, height } = container.getBoundingClientRect();
  if (Math.min(width / (bounds.width * 1.16), height / (bounds.height * 1.16)) >= MIN_READABLE_ZOOM) return fitAll();
  const focused = nodes.filter((n) => focus.includes(n.id));
  const at = focused.length ? getNodesBounds(focused) : null;
  void flow.setViewport({
    x: at ? width / 2 - (at.x + at.width / 2) * MIN_READABLE_ZOOM : 24 - bounds.x * MIN_READABLE_ZOOM,
    y: height / 2 - (bounds.y + bounds.height / 2) * MIN_READABLE_ZOOM,
    zoom: MIN_READABLE_ZOOM,
  });
}
