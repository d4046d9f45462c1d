import type { Automation, Trigger } from "@loopdesk/contracts/rules";
import { triggerEvents } from "@loopdesk/contracts/rules";
import { ticketStatuses } from "@loopdesk/contracts/tickets";
import { useMutation } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { EditModal } from "../EditModal";
import { RowActions } from "../RowActions";
import { useList, useRemove, useSave } from "../admin-api";
import { ActionsField, toActions } from "./ActionsField";
import { ConditionsField, toConditions } from "./ConditionsField";
import { RulePreview } from "./RulePreview";
import { useRuleOptions } from "./rule-options";

type Rule = Trigger | Automation;
const isTrigger = (kind: Kind) => kind === "trigger";
type Kind = "trigger" | "automation";

/**
 * Triggers (on ticket events) or time-based automations (tickets in a status for N hours), in
 * order: list, switch on/off, edit conditions and actions, test against a ticket before saving.
 */
export function RulesAdmin({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const path = isTrigger(kind) ? "/triggers" : "/automations";
  const rules = useList<Rule>(path);
  const options = useRuleOptions();
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  const [form] = Form.useForm();
  const save = useSave<Rule>(path, { onDone: () => setEditing(null), listDetails: true });
  const toggle = useSave<Rule>(path);
  const remove = useRemove(path);
  const runNow = useMutation({
    mutationFn: () => api("/automations/run", { method: "POST" }),
    onSuccess: () => void message.success(t("admin.rules.ranNow")),
  });
  const list = [...(rules.data ?? [])].sort((a, b) => a.position - b.position || a.id - b.id);
  const blank = isTrigger(kind) ? { events: ["created"] } : { status: "pending", hoursInStatus: 48 };
  const open = (r: Rule | "new") => {
    setEditing(r);
    form.resetFields();
    form.setFieldsValue(
      r === "new" ? { name: "", active: true, ...blank, conditions: { all: [], any: [] }, actions: [{ type: "add_tags" }] } : r,
    );
  };
  const ruleBody = () => {
    const v = form.getFieldsValue(true);
    return {
      conditions: toConditions(v.conditions),
      actions: toActions(v.actions),
      ...(isTrigger(kind) ? {} : { status: v.status, hoursInStatus: v.hoursInStatus }),
    };
  };
  const onFinish = (v: { name: string; active: boolean; events?: string[] }) =>
    save.mutate({
      id: editing === "new" ? undefined : (editing as Rule).id,
      body: {
        name: v.name,
        active: v.active,
        ...(isTrigger(kind) ? { events: v.events } : {}),
        ...ruleBody(),
        ...(editing === "new" ? { position: (list.at(-1)?.position ?? 0) + 10 } : {}),
      },
    });
  const addLabel = isTrigger(kind) ? t("admin.rules.add") : t("admin.rules.addAutomation");
  return (
    <Card
      title={t(`admin.sections.${isTrigger(kind) ? "triggers" : "automations"}`)}
      extra={
        <Space>
          {!isTrigger(kind) && <Button onClick={() => runNow.mutate()}>{t("admin.rules.runNow")}</Button>}
          <Button onClick={() => open("new")}>{addLabel}</Button>
        </Space>
      }
    >
      <Alert
        type="info"
        title={isTrigger(kind) ? t("admin.rules.triggerHelp") : t("admin.rules.automationHelp")}
        style={{ marginBottom: 12 }}
      />
      <Table<Rule>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={list}
        scroll={{ x: 640 }}
        columns={[
          { title: t("admin.rules.name"), dataIndex: "name" },
          {
            title: isTrigger(kind) ? t("admin.rules.events") : t("admin.rules.status"),
            key: "when",
            render: (_: unknown, r) =>
              "events" in r
                ? r.events.map((e) => <Tag key={e}>{t(`admin.rules.eventTypes.${e}`)}</Tag>)
                : t("admin.rules.whenStatus", { status: t(`status.${r.status}`), hours: r.hoursInStatus }),
          },
          {
            title: t("admin.rules.active"),
            dataIndex: "active",
            render: (a: boolean, r) => (
              <Switch
                size="small"
                aria-label={t("admin.rules.active")}
                checked={a}
                onChange={(checked) => toggle.mutate({ id: r.id, body: { active: checked } })}
              />
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, r) => (
              <RowActions confirm={t("admin.rules.deleteConfirm")} onEdit={() => open(r)} onDelete={() => remove.mutate(r.id)} />
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? addLabel : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={860}
      >
        <Form name={kind} form={form} layout="vertical" onFinish={onFinish}>
          <Space wrap align="start">
            <Form.Item name="name" label={t("admin.rules.name")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
              <Input maxLength={100} style={{ width: 240 }} />
            </Form.Item>
            {isTrigger(kind) ? (
              <Form.Item name="events" label={t("admin.rules.events")} rules={[{ required: true, message: t("form.invalid") }]}>
                <Select
                  optionFilterProp="label"
                  mode="multiple"
                  style={{ minWidth: 300 }}
                  options={triggerEvents.map((e) => ({ value: e, label: t(`admin.rules.eventTypes.${e}`) }))}
                />
              </Form.Item>
            ) : (
              <>
                <Form.Item name="status" label={t("admin.rules.status")} rules={[{ required: true }]}>
                  <Select
                    style={{ width: 140 }}
                    options={ticketStatuses.filter((s) => s !== "closed").map((s) => ({ value: s, label: t(`status.${s}`) }))}
                  />
                </Form.Item>
                <Form.Item
                  name="hoursInStatus"
                  label={t("admin.rules.hoursInStatus")}
                  rules={[{ required: true, message: t("form.invalid") }]}
                >
                  <InputNumber min={1} max={8760} />
                </Form.Item>
              </>
            )}
            <Form.Item name="active" label={t("admin.rules.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item label={t("admin.rules.conditionsAll")}>
            <ConditionsField group="all" options={options} />
          </Form.Item>
          <Form.Item label={t("admin.rules.conditionsAny")}>
            <ConditionsField group="any" options={options} />
          </Form.Item>
          <Form.Item label={t("admin.rules.actions")}>
            <ActionsField options={options} />
          </Form.Item>
        </Form>
        <RulePreview rule={ruleBody} />
      </EditModal>
    </Card>
  );
}
