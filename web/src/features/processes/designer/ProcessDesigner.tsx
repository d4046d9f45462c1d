import type { NodeType, ProcessDefinition, ProcessGraph, ValidationProblem } from "@loopdesk/contracts/processes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Background, Controls, type Edge, MarkerType, type Node, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { Alert, App, Button, Card, Empty, Input, List, Space, Tag, Tooltip, Typography } from "antd";
import { type DragEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError, api } from "../../../api/client";
import { errorText } from "../../../app/error-text";
import { type FlowNodeData, nodeTypes } from "../flow-nodes";
import { NODE_HEIGHT, NODE_WIDTH } from "../graph-layout";
import { showReadable } from "../readable-viewport";
import { DryRunDialog } from "./DryRunDialog";
import { EdgePanel } from "./EdgePanel";
import { NodePanel } from "./NodePanel";
import { ProcessSettings } from "./ProcessSettings";
import { useDesigner } from "./use-designer";

const PALETTE: NodeType[] = ["task", "approval", "exclusive", "parallel_split", "parallel_join", "subprocess", "end"];
const DRAG_TYPE = "application/loopdesk-node";

/** The admin's no-code process designer: palette, canvas, side panel; validation pinned to nodes; dry run; publish. */
/** The canvas fills the window below the toolbar (never shorter than 560 px). */
const CANVAS_HEIGHT = "max(560px, calc(100vh - 190px))";

export function ProcessDesigner() {
  const { id } = useParams();
  const { t } = useTranslation();
  const definition = useQuery({ queryKey: ["processes", Number(id)], queryFn: () => api<ProcessDefinition>(`/processes/${id}`) });
  if (definition.error) return <Alert type="error" showIcon title={errorText(t, definition.error)} />;
  if (!definition.data) return null;
  return (
    <ReactFlowProvider>
      <Designer definition={definition.data} />
    </ReactFlowProvider>
  );
}

function Designer({ definition }: { definition: ProcessDefinition }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const d = useDesigner(definition.graph);
  const flow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const [name, setName] = useState(definition.name);
  const [problems, setProblems] = useState<ValidationProblem[] | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [settings, setSettings] = useState(false);

  // Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ["INPUT", "TEXTAREA"].includes(target.tagName)) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      if (e.key.toLowerCase() === "z" && !e.shiftKey) {
        e.preventDefault();
        d.undo();
      } else if (e.key.toLowerCase() === "y" || (e.key.toLowerCase() === "z" && e.shiftKey)) {
        e.preventDefault();
        d.redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [d.undo, d.redo]);

  const refresh = () => void qc.invalidateQueries({ queryKey: ["processes"] });
  const save = useMutation({
    mutationFn: (graph: ProcessGraph) => api<ProcessDefinition>(`/processes/${definition.id}`, { method: "PATCH", body: { graph, name } }),
    onSettled: refresh,
  });
  const check = useMutation({
    mutationFn: (graph: ProcessGraph) =>
      api<{ problems: ValidationProblem[] }>("/processes/validate", { method: "POST", body: { graph, key: definition.key } }),
    onSuccess: (r) => setProblems(r.problems),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const publish = useMutation({
    mutationFn: async (graph: ProcessGraph) => {
      await api(`/processes/${definition.id}`, { method: "PATCH", body: { graph, name } });
      return api<ProcessDefinition>(`/processes/${definition.id}/publish`, { method: "POST", body: {} });
    },
    onSuccess: (p) => {
      setProblems([]);
      void message.success(t("designer.published", { version: p.currentVersion }));
    },
    onError: (e) => {
      const found = e instanceof ApiError ? (e.details as { problems?: ValidationProblem[] } | undefined)?.problems : undefined;
      if (found) setProblems(found);
      else void message.error(errorText(t, e));
    },
    onSettled: refresh,
  });
  const saveDraft = () =>
    save.mutate(d.graph, {
      onSuccess: () => void message.success(t("designer.saved")),
      onError: (e) => void message.error(errorText(t, e)),
    });

  const problemNodes = new Set((problems ?? []).map((p) => p.nodeId).filter(Boolean));
  const nodes: Node<FlowNodeData>[] = d.graph.nodes.map((n) => ({
    id: n.id,
    type: "process",
    position: n.position,
    selected: d.selected?.kind === "node" && d.selected.id === n.id,
    deletable: n.type !== "start",
    data: {
      label: n.name || t(`process.nodeTypes.${n.type}`),
      kind: n.type,
      sub: "stage" in n && n.stage ? n.stage : n.type === "approval" ? t("process.nodeTypes.approval") : undefined,
      problem: problemNodes.has(n.id),
    },
  }));
  const edges: Edge[] = d.graph.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    label: e.isDefault
      ? `${e.label || ""}${e.label ? " · " : ""}${t("designer.default")}`
      : e.label || (e.when.length ? t("designer.conditional") : undefined),
    selected: d.selected?.kind === "edge" && d.selected.id === e.id,
    markerEnd: { type: MarkerType.ArrowClosed },
    style: (problems ?? []).some((p) => p.edgeId === e.id) ? { stroke: "#cf222e" } : undefined,
  }));

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
    if (!type) return;
    const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    d.setSelected({ kind: "node", id: d.addNode(type, at, t(`process.nodeTypes.${type}`)) });
  };
  const addAtCenter = (type: NodeType) => {
    const box = document.querySelector(".designer-canvas")?.getBoundingClientRect();
    const at = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    // Not on top of a node already there: step down until the spot is free.
    while (d.graph.nodes.some((n) => Math.abs(n.position.x - at.x) < NODE_WIDTH && Math.abs(n.position.y - at.y) < NODE_HEIGHT + 10))
      at.y += NODE_HEIGHT + 24;
    d.setSelected({ kind: "node", id: d.addNode(type, at, t(`process.nodeTypes.${type}`)) });
  };
  const selectedNode = d.selected?.kind === "node" ? d.graph.nodes.find((n) => n.id === d.selected?.id) : undefined;
  const selectedEdge = d.selected?.kind === "edge" ? d.graph.edges.find((e) => e.id === d.selected?.id) : undefined;

  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="process-designer">
      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
        <Space wrap>
          <Link to="/admin/processes">← {t("designer.back")}</Link>
          <Input aria-label={t("designer.processName")} value={name} onChange={(e) => setName(e.target.value)} style={{ width: 200 }} />
          <Tag>{definition.currentVersion ? t("designer.version", { version: definition.currentVersion }) : t("designer.unpublished")}</Tag>
          {definition.runningInstances > 0 && <Tag color="blue">{t("designer.running", { count: definition.runningInstances })}</Tag>}
        </Space>
        <Space wrap>
          <Tooltip title="Ctrl+Z">
            <Button onClick={d.undo} disabled={!d.canUndo} data-testid="designer-undo">
              {t("designer.undo")}
            </Button>
          </Tooltip>
          <Tooltip title="Ctrl+Y">
            <Button onClick={d.redo} disabled={!d.canRedo} data-testid="designer-redo">
              {t("designer.redo")}
            </Button>
          </Tooltip>
          <Button
            onClick={() => {
              d.layout();
              requestAnimationFrame(() => showReadable(flow, canvas.current));
            }}
            data-testid="designer-layout"
          >
            {t("designer.autoLayout")}
          </Button>
          <Button onClick={() => check.mutate(d.graph)} loading={check.isPending} data-testid="designer-validate">
            {t("designer.validate")}
          </Button>
          <Button onClick={() => setDryRun(true)} data-testid="designer-dry-run">
            {t("designer.dryRun")}
          </Button>
          <Button onClick={() => setSettings(true)}>{t("designer.settings")}</Button>
          <Button onClick={saveDraft} loading={save.isPending} data-testid="designer-save">
            {t("designer.save")}
          </Button>
          <Button type="primary" onClick={() => publish.mutate(d.graph)} loading={publish.isPending} data-testid="designer-publish">
            {t("designer.publish")}
          </Button>
        </Space>
      </Space>
      {problems && (
        <Alert
          type={problems.length ? "error" : "success"}
          showIcon
          data-testid="designer-problems"
          title={problems.length ? t("designer.problems", { count: problems.length }) : t("designer.noProblems")}
          description={
            problems.length > 0 && (
              <List
                size="small"
                dataSource={problems}
                renderItem={(p) => (
                  <List.Item
                    style={{ cursor: p.nodeId || p.edgeId ? "pointer" : undefined, padding: "2px 0" }}
                    onClick={() => {
                      if (p.nodeId) d.setSelected({ kind: "node", id: p.nodeId });
                      else if (p.edgeId) d.setSelected({ kind: "edge", id: p.edgeId });
                    }}
                  >
                    <Typography.Text strong>
                      {p.nodeId ? d.graph.nodes.find((n) => n.id === p.nodeId)?.name || p.nodeId : ""}
                    </Typography.Text>{" "}
                    {t(`designer.problem.${p.code}`, { defaultValue: p.message })}
                  </List.Item>
                )}
              />
            )
          }
        />
      )}
      <div style={{ display: "flex", gap: 12, alignItems: "stretch" }}>
        <Card size="small" title={t("designer.palette")} style={{ width: 140, flex: "none" }}>
          <Space direction="vertical" style={{ width: "100%" }}>
            {PALETTE.map((type) => (
              <Button
                key={type}
                block
                draggable
                onDragStart={(e) => e.dataTransfer.setData(DRAG_TYPE, type)}
                onClick={() => addAtCenter(type)}
                data-testid={`palette-${type}`}
              >
                {t(`process.nodeTypes.${type}`)}
              </Button>
            ))}
          </Space>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {t("designer.paletteHelp")}
          </Typography.Paragraph>
        </Card>
        <div
          className="designer-canvas"
          role="application"
          aria-label={t("designer.canvas")}
          ref={canvas}
          style={{ flex: 1, height: CANVAS_HEIGHT, border: "1px solid #eee", borderRadius: 8, background: "#fff" }}
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = "move";
          }}
          onDrop={onDrop}
        >
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={d.onNodesChange}
            onEdgesChange={d.onEdgesChange}
            onConnect={d.onConnect}
            onPaneClick={() => d.setSelected(null)}
            deleteKeyCode={["Delete", "Backspace"]}
            onInit={(f) => showReadable(f, canvas.current)}
            minZoom={0.2}
          >
            <Background />
            <Controls />
          </ReactFlow>
        </div>
        <Card
          size="small"
          style={{ width: 340, flex: "none", maxHeight: CANVAS_HEIGHT, overflow: "auto" }}
          title={t("designer.properties")}
        >
          {selectedNode ? (
            <NodePanel
              key={selectedNode.id}
              node={selectedNode}
              graph={d.graph}
              selfKey={definition.key}
              onChange={(patch) => d.updateNode(selectedNode.id, patch)}
              onDelete={() => d.onNodesChange([{ type: "remove", id: selectedNode.id }])}
            />
          ) : selectedEdge ? (
            <EdgePanel
              key={selectedEdge.id}
              edge={selectedEdge}
              graph={d.graph}
              onChange={(patch) => d.updateEdge(selectedEdge.id, patch)}
              onDelete={() => d.onEdgesChange([{ type: "remove", id: selectedEdge.id }])}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("designer.selectSomething")} />
          )}
        </Card>
      </div>
      <DryRunDialog
        open={dryRun}
        onClose={() => setDryRun(false)}
        definitionId={definition.id}
        graph={d.graph}
        beforeRun={() => save.mutateAsync(d.graph)}
      />
      <ProcessSettings open={settings} onClose={() => setSettings(false)} definition={definition} />
    </Space>
  );
}
