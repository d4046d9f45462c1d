import type { ProcessCondition, ProcessGraph } from "@loopdesk/contracts/processes";
import { conditionOps } from "@loopdesk/contracts/rules";
import { Button, Input, Select, Space } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { type RuleOptions, useRuleOptions, valueChoices } from "../../admin/rules/rule-options";

const TICKET_FIELDS = [
  "priority",
  "channel",
  "categoryId",
  "departmentId",
  "customerTier",
  "tags",
  "subject",
  "text",
  "urgeCount",
] as const;
const NO_VALUE = new Set(["is_empty", "is_not_empty", "changed"]);

/** The fields a condition may read: the ticket's, the customer's tier, custom fields and every step form's fields. */
export function conditionFields(graph: ProcessGraph, t: TFunction, o: RuleOptions) {
  return [
    ...TICKET_FIELDS.map((f) => ({ value: f, label: t(`admin.rules.fields.${f}`) })),
    ...o.ticketFields.map((f) => ({ value: `customFields.${f.key}`, label: f.label })),
    ...graph.nodes.flatMap((n) =>
      n.type === "task" || n.type === "approval"
        ? [
            ...n.form.map((f) => ({ value: `step.${n.id}.${f.key}`, label: `${n.name || n.id} · ${f.label}` })),
            ...(n.type === "approval" ? [{ value: `step.${n.id}.approved`, label: `${n.name || n.id} · ${t("designer.approved")}` }] : []),
          ]
        : [],
    ),
  ];
}

/** Parses what was typed: numbers and true/false as such, else the text. */
const parse = (raw: string): ProcessCondition["value"] =>
  raw === "true" ? true : raw === "false" ? false : raw !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;

/** A list of conditions that must all hold. */
export function ConditionsEditor({
  value,
  onChange,
  graph,
}: {
  value: ProcessCondition[];
  onChange: (v: ProcessCondition[]) => void;
  graph: ProcessGraph;
}) {
  const { t } = useTranslation();
  const options = useRuleOptions();
  const fields = conditionFields(graph, t, options);
  const set = (i: number, patch: Partial<ProcessCondition>) => onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {value.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no id; their order is their identity
        <Space.Compact key={i} style={{ width: "100%" }}>
          <Select
            style={{ width: "45%" }}
            aria-label={t("designer.field")}
            value={c.field}
            options={fields}
            onChange={(field) => set(i, { field })}
            showSearch
            optionFilterProp="label"
          />
          <Select
            style={{ width: "25%" }}
            aria-label={t("designer.op")}
            value={c.op}
            options={conditionOps.filter((o) => !o.startsWith("changed")).map((o) => ({ value: o, label: t(`admin.rules.ops.${o}`) }))}
            onChange={(op) => set(i, { op })}
          />
          {!NO_VALUE.has(c.op) && valueChoices(c.field, t, options) && (
            <Select
              aria-label={t("designer.value")}
              style={{ width: "25%" }}
              value={c.value as string | number}
              options={valueChoices(c.field, t, options) ?? []}
              onChange={(v) => set(i, { value: v })}
            />
          )}
          {!NO_VALUE.has(c.op) && !valueChoices(c.field, t, options) && (
            <Input
              aria-label={t("designer.value")}
              style={{ width: "25%" }}
              value={c.value === undefined || c.value === null ? "" : String(c.value)}
              onChange={(e) => set(i, { value: parse(e.target.value) })}
            />
          )}
          <Button aria-label={t("designer.remove")} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            ×
          </Button>
        </Space.Compact>
      ))}
      <Button size="small" onClick={() => onChange([...value, { field: fields[0]?.value ?? "priority", op: "is", value: "" }])}>
        {t("designer.addCondition")}
      </Button>
    </Space>
  );
}
