import type { Visit } from "@loopdesk/contracts/visits";
import { visitResults } from "@loopdesk/contracts/visits";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Layout, Modal, Segmented, Select, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { AppHeader } from "../../app/AppHeader";
import { errorText } from "../../app/error-text";

type Filter = "open" | "overdue" | "mine" | "done";
const queryOf: Record<Filter, string> = {
  open: "status=open",
  overdue: "overdue=true",
  mine: "status=open&mine=true",
  done: "status=done",
};

/** 回访: planned checks with customers after solving — open, overdue, mine, done — and their outcomes. */
export function VisitsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Filter>("open");
  const [recording, setRecording] = useState<Visit | null>(null);
  const [form] = Form.useForm();
  const visits = useQuery({
    queryKey: ["visits", filter],
    queryFn: async () => (await api<{ items: Visit[] }>(`/visits?${queryOf[filter]}`)).items,
  });
  const record = useMutation({
    mutationFn: (v: { result: string; outcome?: string }) =>
      api(`/visits/${recording?.id}`, {
        method: "PATCH",
        body: { status: "done", result: v.result, ...(v.outcome ? { outcome: v.outcome } : {}) },
      }),
    onSuccess: () => {
      setRecording(null);
      void message.success(t("common.saved"));
    },
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["visits"] }),
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Card title={t("visits.title")}>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={(["open", "overdue", "mine", "done"] as const).map((f) => ({ value: f, label: t(`visits.filters.${f}`) }))}
            style={{ marginBottom: 12 }}
          />
          <Table<Visit>
            rowKey="id"
            size="small"
            data-testid="visit-list"
            loading={visits.isLoading}
            dataSource={visits.data ?? []}
            pagination={false}
            locale={{ emptyText: t("visits.none") }}
            scroll={{ x: 720 }}
            columns={[
              {
                title: t("tickets.number"),
                dataIndex: "ticketNumber",
                render: (n: number, v) => <Link to={`/tickets/${v.ticketId}`}>#{n}</Link>,
              },
              { title: t("tickets.subject"), dataIndex: "ticketSubject" },
              { title: t("visits.reason"), dataIndex: "reason" },
              {
                title: t("visits.due"),
                dataIndex: "dueAt",
                render: (d: string, v) =>
                  v.overdue ? <Tag color="red">{t("visits.overdue", { at: fmt.format(new Date(d)) })}</Tag> : fmt.format(new Date(d)),
              },
              {
                title: t("visits.result"),
                dataIndex: "result",
                render: (r: string | null, v) =>
                  r
                    ? `${t(`visits.results.${r}`)}${v.outcome ? ` · ${v.outcome}` : ""}`
                    : v.status === "cancelled"
                      ? t("visits.cancelled")
                      : "—",
              },
              {
                title: t("common.actions"),
                key: "record",
                render: (_: unknown, v) =>
                  v.status === "open" && (
                    <Button
                      size="small"
                      onClick={() => {
                        form.resetFields();
                        setRecording(v);
                      }}
                    >
                      {t("visits.record")}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
        <Modal
          open={recording !== null}
          title={t("visits.record")}
          okText={t("common.save")}
          cancelText={t("common.cancel")}
          onOk={() => form.submit()}
          onCancel={() => setRecording(null)}
          confirmLoading={record.isPending}
          forceRender
        >
          <Form form={form} name="visit-outcome" layout="vertical" onFinish={(v) => record.mutate(v)}>
            <Form.Item name="result" label={t("visits.result")} rules={[{ required: true, message: t("form.invalid") }]}>
              <Select options={visitResults.map((r) => ({ value: r, label: t(`visits.results.${r}`) }))} />
            </Form.Item>
            <Form.Item name="outcome" label={t("visits.outcome")}>
              <Input.TextArea rows={3} maxLength={5000} />
            </Form.Item>
          </Form>
        </Modal>
      </Layout.Content>
    </Layout>
  );
}
