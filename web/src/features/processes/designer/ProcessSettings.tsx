import type { ProcessCondition, ProcessDefinition } from "@loopdesk/contracts/processes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Divider, Drawer, Form, Input, InputNumber, List, Select, Space, Switch, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { errorText } from "../../../app/error-text";
import { ConditionsEditor } from "./ConditionsEditor";

type MigrateReport = {
  moved: { instanceId: number; ticketId: number }[];
  skipped: { instanceId: number; ticketId: number; reason: string }[];
};

/** A process's settings beside its graph: when it starts by itself, what the customer is told, versions and moving running instances. */
export function ProcessSettings({ open, onClose, definition }: { open: boolean; onClose: () => void; definition: ProcessDefinition }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [when, setWhen] = useState<ProcessCondition[]>(definition.startRule.when);
  const [form] = Form.useForm();
  const save = useMutation({
    mutationFn: (v: {
      description: string;
      active: boolean;
      startEnabled: boolean;
      onStageComplete: boolean;
      waitingEveryHours: number | null;
    }) =>
      api(`/processes/${definition.id}`, {
        method: "PATCH",
        body: {
          description: v.description,
          active: v.active,
          startRule: { enabled: v.startEnabled, when },
          progress: { onStageComplete: v.onStageComplete, waitingEveryHours: v.waitingEveryHours || null },
        },
      }),
    onSuccess: () => {
      void message.success(t("designer.settingsSaved"));
      onClose();
    },
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["processes"] }),
  });
  const [fromVersion, setFromVersion] = useState<number | undefined>();
  const [nodeMap, setNodeMap] = useState("");
  const migrate = useMutation({
    mutationFn: () =>
      api<MigrateReport>(`/processes/${definition.id}/migrate`, {
        method: "POST",
        body: {
          fromVersion,
          nodeMap: Object.fromEntries(
            nodeMap
              .split("\n")
              .map((l) => l.split("=").map((x) => x.trim()))
              .filter((p) => p.length === 2 && p[0] && p[1]),
          ),
        },
      }),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["processes"] }),
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <Drawer open={open} onClose={onClose} size={520} title={t("designer.settings")} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          description: definition.description,
          active: definition.active,
          startEnabled: definition.startRule.enabled,
          onStageComplete: definition.progress.onStageComplete,
          waitingEveryHours: definition.progress.waitingEveryHours,
        }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="description" label={t("designer.description")}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="active" label={t("designer.active")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Divider plain>{t("designer.startRule")}</Divider>
        <Form.Item name="startEnabled" label={t("designer.startAuto")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <ConditionsEditor value={when} onChange={setWhen} graph={definition.graph} />
        <Divider plain>{t("designer.progress")}</Divider>
        <Form.Item name="onStageComplete" label={t("designer.onStageComplete")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="waitingEveryHours" label={t("designer.waitingEvery")} extra={t("designer.waitingEveryHelp")}>
          <InputNumber min={1} max={720} addonAfter={t("designer.hours")} />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t("designer.settingsPublishHint")}</Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t("designer.saveSettings")}
        </Button>
      </Form>
      <Divider plain>{t("designer.versions")}</Divider>
      <List
        size="small"
        locale={{ emptyText: t("designer.unpublished") }}
        dataSource={[...definition.versions].reverse()}
        renderItem={(v) => (
          <List.Item>
            {t("designer.version", { version: v.version })} · {fmt.format(new Date(v.publishedAt))}
          </List.Item>
        )}
      />
      {definition.versions.length > 1 && (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Typography.Text>{t("designer.migrateHelp")}</Typography.Text>
          <Select
            placeholder={t("designer.fromVersion")}
            value={fromVersion}
            onChange={setFromVersion}
            options={definition.versions
              .filter((v) => v.version !== definition.currentVersion)
              .map((v) => ({ value: v.version, label: t("designer.version", { version: v.version }) }))}
          />
          <Input.TextArea rows={2} placeholder={t("designer.nodeMap")} value={nodeMap} onChange={(e) => setNodeMap(e.target.value)} />
          <Button disabled={!fromVersion} loading={migrate.isPending} onClick={() => migrate.mutate()}>
            {t("designer.migrate")}
          </Button>
          {migrate.data && (
            <Alert
              type={migrate.data.skipped.length ? "warning" : "success"}
              showIcon
              title={t("designer.migrated", { moved: migrate.data.moved.length, skipped: migrate.data.skipped.length })}
              description={migrate.data.skipped.map((s) => `#${s.ticketId}: ${s.reason}`).join("\n")}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}
