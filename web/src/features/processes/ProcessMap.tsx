import type { ProcessInstance } from "@loopdesk/contracts/processes";
import { Background, type Edge, type Node, ReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { type FlowNodeData, nodeTypes } from "./flow-nodes";
import { autoLayout } from "./graph-layout";
import { showReadable } from "./readable-viewport";

/** A running (or finished) instance drawn as its graph: each step colored by its state, with who holds it and for how long. */
export function ProcessMap({ instance, holderOf }: { instance: ProcessInstance; holderOf: (taskId: number) => string }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const positions = autoLayout(instance.graph.nodes, instance.graph.edges);
  const nodes: Node<FlowNodeData>[] = instance.graph.nodes.map((n) => {
    const step = instance.steps.find((s) => s.nodeId === n.id);
    const holders = step?.holders.map((h) => holderOf(h.taskId)).join("、");
    return {
      id: n.id,
      type: "process",
      position: positions.get(n.id) ?? n.position,
      data: {
        label: n.name || t(`process.nodeTypes.${n.type}`),
        kind: n.type,
        state: step?.state,
        sub: step?.state === "active" && holders ? holders : undefined,
      },
      draggable: false,
      connectable: false,
    };
  });
  const edges: Edge[] = instance.graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, label: e.label || undefined }));
  return (
    <div ref={box} style={{ height: 320, border: "1px solid #eee", borderRadius: 8 }} data-testid="process-map">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onInit={(f) =>
          showReadable(
            f,
            box.current,
            instance.steps.filter((s) => s.state === "active").map((s) => s.nodeId),
          )
        }
        minZoom={0.2}
        nodesConnectable={false}
        elementsSelectable={false}
      >
        <Background />
      </ReactFlow>
    </div>
  );
}
