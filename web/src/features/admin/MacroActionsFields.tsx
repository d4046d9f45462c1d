import type { MacroActions } from "@loopdesk/contracts/workspace";
import { Checkbox, Form, Select, Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { priorities } from "../tickets/ticket-labels";

const MACRO_STATUSES = ["open", "pending", "on_hold", "solved"] as const;

/** What a macro changes besides its reply (form fields under `actions`). */
export function MacroActionsFields() {
  const { t } = useTranslation();
  return (
    <>
      <Space wrap>
        <Form.Item name={["actions", "status"]} label={t("macro.status")}>
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t("macro.unchanged")}
            options={MACRO_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name={["actions", "priority"]} label={t("macro.priority")}>
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t("macro.unchanged")}
            options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          />
        </Form.Item>
        <Form.Item name={["actions", "assignee"]} label={t("macro.assignee")}>
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t("macro.unchanged")}
            options={[
              { value: "me", label: t("macro.assignMe") },
              { value: 0, label: t("macro.unassign") },
            ]}
          />
        </Form.Item>
      </Space>
      <Form.Item name={["actions", "addTags"]} label={t("macro.addTags")}>
        <Select mode="tags" tokenSeparators={[",", " ", "，"]} open={false} placeholder={t("macro.addTagsHelp")} />
      </Form.Item>
      <Form.Item name={["actions", "internal"]} valuePropName="checked">
        <Checkbox>{t("macro.internal")}</Checkbox>
      </Form.Item>
    </>
  );
}

/** Form values → the API's actions (an empty choice is no action; "unassign" is null). */
export function actionsFromForm(v: Record<string, unknown> | undefined): MacroActions {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v ?? {})) {
    if (val === undefined || val === null || val === false || (Array.isArray(val) && val.length === 0)) continue;
    out[k] = k === "assignee" && val === 0 ? null : val;
  }
  return out as MacroActions;
}

/** API actions → form values. */
export const actionsToForm = (a: MacroActions) => ({ ...a, assignee: a.assignee === null ? 0 : a.assignee });

/** A macro's changes, in a few tags. */
export function MacroActionTags({ actions }: { actions: MacroActions }) {
  const { t } = useTranslation();
  const tags: string[] = [];
  if (actions.status) tags.push(t("macro.setStatus", { status: t(`status.${actions.status}`) }));
  if (actions.priority) tags.push(t("macro.setPriority", { priority: t(`priority.${actions.priority}`) }));
  if (actions.assignee === "me") tags.push(t("macro.assignMe"));
  if (actions.assignee === null) tags.push(t("macro.unassign"));
  for (const tag of actions.addTags ?? []) tags.push(`+${tag}`);
  if (actions.internal) tags.push(t("macro.internalShort"));
  return (
    <>
      {tags.map((x) => (
        <Tag key={x}>{x}</Tag>
      ))}
    </>
  );
}
