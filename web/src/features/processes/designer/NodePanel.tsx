import type { ApprovalLevel, ProcessGraph, ProcessNode, StepNode, StepOwner } from "@loopdesk/contracts/processes";
import { Button, Card, Divider, Form, Input, InputNumber, Select, Space, Switch, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNamed } from "../../tickets/ticket-api";
import { useProcesses } from "../process-api";
import { ConditionsEditor } from "./ConditionsEditor";
import { FormFieldsEditor } from "./FormFieldsEditor";
import { OwnerSelect } from "./OwnerSelect";

type Props = {
  node: ProcessNode;
  graph: ProcessGraph;
  onChange: (patch: Partial<ProcessNode>) => void;
  onDelete: () => void;
  selfKey: string;
};

/** The side panel for the selected node: its name and stage, owner, form, target time, approval levels, where a rejection goes. */
export function NodePanel({ node, graph, onChange, onDelete, selfKey }: Props) {
  const { t } = useTranslation();
  const processes = useProcesses();
  const steps = graph.nodes.filter((n) => (n.type === "task" || n.type === "approval") && n.id !== node.id);
  return (
    <Form layout="vertical" size="small" data-testid="node-panel">
      <Typography.Text type="secondary">
        {t(`process.nodeTypes.${node.type}`)} · {node.id}
      </Typography.Text>
      <Form.Item label={t("designer.name")}>
        <Input aria-label={t("designer.name")} value={node.name} onChange={(e) => onChange({ name: e.target.value })} />
      </Form.Item>
      {"stage" in node && (
        <Form.Item label={t("designer.stage")} extra={t("designer.stageHelp")}>
          <Input
            aria-label={t("designer.stage")}
            value={node.stage}
            onChange={(e) => onChange({ stage: e.target.value } as Partial<ProcessNode>)}
          />
        </Form.Item>
      )}
      {node.type === "task" && (
        <Form.Item label={t("designer.owner.title")}>
          <OwnerSelect value={node.owner} onChange={(owner) => onChange({ owner } as Partial<ProcessNode>)} />
        </Form.Item>
      )}
      {node.type === "approval" && <Levels node={node} graph={graph} onChange={onChange} />}
      {node.type === "approval" && (
        <Form.Item label={t("designer.rejectTo")}>
          <Select
            aria-label={t("designer.rejectTo")}
            value={node.rejectTo ?? ""}
            onChange={(v) => onChange({ rejectTo: v || null } as Partial<ProcessNode>)}
            options={[{ value: "", label: t("designer.rejectEnds") }, ...steps.map((s) => ({ value: s.id, label: s.name || s.id }))]}
          />
        </Form.Item>
      )}
      {node.type === "subprocess" && (
        <Form.Item label={t("designer.subprocess")}>
          <Select
            aria-label={t("designer.subprocess")}
            value={node.processKey || undefined}
            onChange={(processKey) => onChange({ processKey } as Partial<ProcessNode>)}
            options={(processes.data ?? []).filter((p) => p.key !== selfKey).map((p) => ({ value: p.key, label: p.name }))}
          />
        </Form.Item>
      )}
      {(node.type === "task" || node.type === "approval") && (
        <>
          <Form.Item label={t("designer.instructions")}>
            <Input.TextArea
              rows={2}
              value={node.instructions}
              onChange={(e) => onChange({ instructions: e.target.value } as Partial<ProcessNode>)}
            />
          </Form.Item>
          <Divider plain>{t("designer.form")}</Divider>
          <FormFieldsEditor value={node.form} onChange={(form) => onChange({ form } as Partial<ProcessNode>)} />
          <Divider plain>{t("designer.target")}</Divider>
          <Target node={node} onChange={onChange} />
        </>
      )}
      {node.type !== "start" && (
        <Button danger block style={{ marginTop: 16 }} onClick={onDelete} data-testid="node-delete">
          {t("designer.deleteNode")}
        </Button>
      )}
    </Form>
  );
}

function Target({ node, onChange }: { node: StepNode; onChange: Props["onChange"] }) {
  const { t } = useTranslation();
  const calendars = useNamed("/calendars");
  const target = node.target;
  const set = (patch: Partial<NonNullable<StepNode["target"]>>) =>
    onChange({
      target: { hours: 8, calendarId: null, warnBeforeMinutes: 60, escalateTo: null, ...target, ...patch },
    } as Partial<ProcessNode>);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Switch
        checked={target !== null}
        checkedChildren={t("designer.targetOn")}
        unCheckedChildren={t("designer.targetOff")}
        onChange={(on) => (on ? set({}) : onChange({ target: null } as Partial<ProcessNode>))}
      />
      {target && (
        <>
          <Space.Compact style={{ width: "100%" }}>
            <InputNumber
              aria-label={t("designer.targetHours")}
              min={0.5}
              step={0.5}
              value={target.hours}
              onChange={(v) => v && set({ hours: v })}
              addonAfter={t("designer.workingHours")}
            />
          </Space.Compact>
          <Select
            aria-label={t("designer.calendar")}
            style={{ width: "100%" }}
            value={target.calendarId ?? 0}
            onChange={(v) => set({ calendarId: v === 0 ? null : v })}
            options={[
              { value: 0, label: t("designer.defaultCalendar") },
              ...(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
          <InputNumber
            aria-label={t("designer.warnBefore")}
            min={0}
            value={target.warnBeforeMinutes}
            onChange={(v) => set({ warnBeforeMinutes: v ?? 0 })}
            addonBefore={t("designer.warnBefore")}
            addonAfter={t("designer.minutes")}
          />
          <Typography.Text type="secondary">{t("designer.escalateTo")}</Typography.Text>
          <Space.Compact style={{ width: "100%" }}>
            {target.escalateTo ? (
              <>
                <OwnerSelect value={target.escalateTo} allowCustomer={false} onChange={(escalateTo) => set({ escalateTo })} />
                <Button onClick={() => set({ escalateTo: null })}>×</Button>
              </>
            ) : (
              <Button size="small" onClick={() => set({ escalateTo: { type: "role", role: "supervisor", departmentId: null } })}>
                {t("designer.escalateToSupervisors")}
              </Button>
            )}
          </Space.Compact>
        </>
      )}
    </Space>
  );
}

function Levels({
  node,
  graph,
  onChange,
}: {
  node: Extract<ProcessNode, { type: "approval" }>;
  graph: ProcessGraph;
  onChange: Props["onChange"];
}) {
  const { t } = useTranslation();
  const setLevels = (levels: ApprovalLevel[]) => onChange({ levels } as Partial<ProcessNode>);
  const setLevel = (i: number, patch: Partial<ApprovalLevel>) => setLevels(node.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const approver: StepOwner = { type: "role", role: "supervisor", departmentId: null };
  return (
    <>
      <Divider plain>{t("designer.levels")}</Divider>
      {node.levels.map((level, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: levels are ordered; their index is their identity
        <Card key={i} size="small" style={{ marginBottom: 8 }} title={t("designer.level", { n: i + 1 })} data-testid="approval-level">
          <Space direction="vertical" style={{ width: "100%" }}>
            <Input
              aria-label={t("designer.levelName")}
              placeholder={t("designer.levelName")}
              value={level.name}
              onChange={(e) => setLevel(i, { name: e.target.value })}
            />
            <Select
              aria-label={t("designer.mode")}
              value={level.mode}
              onChange={(mode) => setLevel(i, { mode })}
              options={[
                { value: "any", label: t("designer.modeAny") },
                { value: "all", label: t("designer.modeAll") },
              ]}
            />
            {level.approvers.map((a, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: approvers are ordered slots
              <Space.Compact key={j} style={{ width: "100%" }}>
                <OwnerSelect
                  value={a}
                  allowCustomer={false}
                  onChange={(o) => setLevel(i, { approvers: level.approvers.map((x, k) => (k === j ? o : x)) })}
                />
                {level.approvers.length > 1 && (
                  <Button onClick={() => setLevel(i, { approvers: level.approvers.filter((_, k) => k !== j) })}>×</Button>
                )}
              </Space.Compact>
            ))}
            <Button size="small" onClick={() => setLevel(i, { approvers: [...level.approvers, approver] })}>
              {t("designer.addApprover")}
            </Button>
            <Typography.Text type="secondary">{t("designer.levelWhen")}</Typography.Text>
            <ConditionsEditor value={level.when} graph={graph} onChange={(when) => setLevel(i, { when })} />
            {node.levels.length > 1 && (
              <Button size="small" danger onClick={() => setLevels(node.levels.filter((_, j) => j !== i))}>
                {t("designer.removeLevel")}
              </Button>
            )}
          </Space>
        </Card>
      ))}
      <Button size="small" onClick={() => setLevels([...node.levels, { name: "", approvers: [approver], mode: "any", when: [] }])}>
        {t("designer.addLevel")}
      </Button>
    </>
  );
}
