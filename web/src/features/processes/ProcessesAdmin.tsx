import type { ProcessDefinition } from "@loopdesk/contracts/processes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Dropdown, Form, Input, Modal, Space, Switch, Table, Tag } from "antd";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Route, Routes, useNavigate } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { useProcesses } from "./process-api";

const ProcessDesigner = lazy(() => import("./designer/ProcessDesigner").then((m) => ({ default: m.ProcessDesigner })));

/** 流程模板 in the admin console: the list (from shipped templates or blank) and, per process, its designer. */
export function ProcessesAdmin() {
  return (
    <Routes>
      <Route index element={<ProcessList />} />
      <Route
        path=":id"
        element={
          <Suspense fallback={null}>
            <ProcessDesigner />
          </Suspense>
        }
      />
    </Routes>
  );
}

const BLANK = {
  nodes: [
    { id: "start", type: "start", name: "", position: { x: 0, y: 80 } },
    { id: "end", type: "end", name: "", position: { x: 480, y: 80 } },
  ],
  edges: [],
};

function ProcessList() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const processes = useProcesses();
  const templates = useQuery({
    queryKey: ["processes", "templates"],
    queryFn: async () => (await api<{ items: { key: string; name: string; description: string }[] }>("/processes/templates")).items,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ["processes"] });
  const fromTemplate = useMutation({
    mutationFn: (key: string) => api<ProcessDefinition>(`/processes/templates/${key}`, { method: "POST", body: {} }),
    onSuccess: (p) => navigate(`/admin/processes/${p.id}`),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: refresh,
  });
  const toggle = useMutation({
    mutationFn: ({ id, active }: { id: number; active: boolean }) => api(`/processes/${id}`, { method: "PATCH", body: { active } }),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: refresh,
  });
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: (v: { name: string; key: string }) =>
      api<ProcessDefinition>("/processes", { method: "POST", body: { ...v, graph: BLANK } }),
    onSuccess: (p) => navigate(`/admin/processes/${p.id}`),
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
    onSettled: refresh,
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <Card
      title={t("admin.sections.processes")}
      extra={
        <Space>
          <Dropdown
            menu={{
              items: (templates.data ?? []).map((tpl) => ({ key: tpl.key, label: tpl.name, title: tpl.description })),
              onClick: (e) => fromTemplate.mutate(e.key),
            }}
          >
            <Button data-testid="process-from-template">{t("designer.fromTemplate")}</Button>
          </Dropdown>
          <Button type="primary" onClick={() => setCreating(true)} data-testid="process-new">
            {t("designer.newProcess")}
          </Button>
        </Space>
      }
    >
      <Table<ProcessDefinition>
        rowKey="id"
        size="small"
        data-testid="process-list"
        loading={processes.isLoading}
        dataSource={processes.data ?? []}
        pagination={false}
        locale={{ emptyText: t("designer.noProcesses") }}
        columns={[
          {
            title: t("designer.processName"),
            dataIndex: "name",
            render: (n: string, p) => <Link to={`/admin/processes/${p.id}`}>{n}</Link>,
          },
          { title: t("designer.description"), dataIndex: "description", ellipsis: true },
          {
            title: t("designer.versions"),
            render: (_: unknown, p) => (
              <Space size={4}>
                {p.currentVersion ? (
                  <Tag color="green">{t("designer.version", { version: p.currentVersion })}</Tag>
                ) : (
                  <Tag>{t("designer.unpublished")}</Tag>
                )}
                {p.changed && p.currentVersion !== null && <Tag color="orange">{t("designer.draftChanged")}</Tag>}
                {p.startRule.enabled && <Tag color="blue">{t("designer.autoStarts")}</Tag>}
              </Space>
            ),
          },
          { title: t("designer.runningCol"), dataIndex: "runningInstances" },
          { title: t("designer.updated"), dataIndex: "updatedAt", render: (d: string) => fmt.format(new Date(d)) },
          {
            title: t("designer.active"),
            render: (_: unknown, p) => (
              <Switch
                size="small"
                checked={p.active}
                onChange={(active) => toggle.mutate({ id: p.id, active })}
                aria-label={t("designer.active")}
              />
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        title={t("designer.newProcess")}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="name"
            label={t("designer.processName")}
            rules={[{ required: true, message: t("form.required", { field: t("designer.processName") }) }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="key"
            label={t("designer.key")}
            extra={t("designer.keyHelp")}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_-]{0,59}$/, message: t("designer.keyHelp") }]}
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
