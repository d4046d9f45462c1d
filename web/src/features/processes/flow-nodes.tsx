import type { NodeType } from "@loopdesk/contracts/processes";
import { Handle, type NodeProps, Position } from "@xyflow/react";
import { NODE_HEIGHT, NODE_WIDTH } from "./graph-layout";

/** What a drawn node carries: its words, its kind, and (on a running instance) its state and holder. */
export type FlowNodeData = {
  label: string;
  kind: NodeType;
  sub?: string;
  state?: "waiting" | "active" | "done" | "rejected" | "skipped" | "cancelled";
  problem?: boolean;
};

const COLORS: Record<string, { border: string; background: string }> = {
  active: { border: "#1f6feb", background: "#e8f0fe" },
  done: { border: "#2da44e", background: "#eaf7ee" },
  rejected: { border: "#cf222e", background: "#fdecec" },
  waiting: { border: "#bbb", background: "#fff" },
  skipped: { border: "#ddd", background: "#fafafa" },
  cancelled: { border: "#999", background: "#f0f0f0" },
};

const ROUND = new Set(["start", "end"]);
const DIAMOND = new Set(["exclusive", "parallel_split", "parallel_join"]);

/** One node of a process as drawn in the designer and on a ticket's map. */
export function ProcessFlowNode({ data, selected }: NodeProps & { data: FlowNodeData }) {
  const color = COLORS[data.state ?? "waiting"] ?? COLORS.waiting;
  const round = ROUND.has(data.kind);
  const diamond = DIAMOND.has(data.kind);
  return (
    <div
      data-testid={`flow-node-${data.kind}`}
      style={{
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        border: `2px solid ${data.problem ? "#cf222e" : (color?.border ?? "#bbb")}`,
        background: color?.background,
        borderRadius: round ? NODE_HEIGHT / 2 : diamond ? 4 : 8,
        borderStyle: diamond ? "dashed" : "solid",
        boxShadow: selected ? "0 0 0 3px rgba(31,111,235,.35)" : undefined,
        display: "flex",
        flexDirection: "column",
        justifyContent: "center",
        alignItems: "center",
        padding: "0 8px",
        fontSize: 13,
        lineHeight: 1.3,
        textAlign: "center",
        overflow: "hidden",
      }}
    >
      {data.kind !== "start" && <Handle type="target" position={Position.Left} />}
      <strong style={{ whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", maxWidth: "100%" }}>{data.label}</strong>
      {data.sub && (
        <span style={{ color: "#666", fontSize: 12, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", maxWidth: "100%" }}>
          {data.sub}
        </span>
      )}
      {data.kind !== "end" && <Handle type="source" position={Position.Right} />}
    </div>
  );
}

export const nodeTypes = { process: ProcessFlowNode };
