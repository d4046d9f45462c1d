import type { RetentionRule } from "@loopdesk/contracts/privacy";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, InputNumber, Popconfirm, Select, Switch, Table, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { useNamed } from "../tickets/ticket-api";

/** 保留规则: closed tickets older than N months (per category) keep their statistics and lose their content. */
export function RetentionRulesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ categoryId?: number; months: number }>();
  const rules = useQuery({ queryKey: ["retention-rules"], queryFn: () => api<{ items: RetentionRule[] }>("/retention-rules") });
  const categories = useNamed("/categories");
  const refresh = () => void qc.invalidateQueries({ queryKey: ["retention-rules"] });
  const fail = (e: unknown) => void message.error(errorText(t, e));
  const add = useMutation({
    mutationFn: (v: { categoryId?: number; months: number }) =>
      api("/retention-rules", { method: "POST", body: { categoryId: v.categoryId ?? null, months: v.months } }),
    onSuccess: () => {
      form.resetFields();
      refresh();
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) fail(e);
    },
  });
  const change = useMutation({
    mutationFn: ({ id, ...body }: { id: number; active?: boolean; months?: number }) =>
      api(`/retention-rules/${id}`, { method: "PATCH", body }),
    onSuccess: refresh,
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/retention-rules/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
    onError: fail,
  });
  return (
    <Card size="small" title={t("retention.title")} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t("retention.help")}</Typography.Paragraph>
      <Table<RetentionRule>
        rowKey="id"
        size="small"
        pagination={false}
        loading={rules.isLoading}
        dataSource={rules.data?.items ?? []}
        locale={{ emptyText: t("retention.empty") }}
        columns={[
          { title: t("retention.category"), render: (_, r) => r.category?.name ?? t("retention.otherCategories") },
          {
            title: t("retention.months"),
            width: 150,
            render: (_, r) => (
              <InputNumber
                size="small"
                min={1}
                max={600}
                defaultValue={r.months}
                addonAfter={t("retention.monthsUnit")}
                aria-label={t("retention.months")}
                onBlur={(e) => {
                  const v = Number(e.target.value);
                  if (v >= 1 && v !== r.months) change.mutate({ id: r.id, months: v });
                }}
              />
            ),
          },
          { title: t("retention.due"), width: 110, dataIndex: "due" },
          { title: t("retention.purged"), width: 110, dataIndex: "purgedTotal" },
          {
            title: t("retention.lastRun"),
            width: 150,
            render: (_, r) => (r.lastRunAt ? dayjs(r.lastRunAt).format("YYYY-MM-DD HH:mm") : t("retention.never")),
          },
          {
            title: t("retention.active"),
            width: 80,
            render: (_, r) => (
              <Switch
                size="small"
                checked={r.active}
                aria-label={t("retention.active")}
                onChange={(active) => change.mutate({ id: r.id, active })}
              />
            ),
          },
          {
            title: "",
            width: 70,
            render: (_, r) => (
              <Popconfirm
                title={t("retention.removeConfirm")}
                okText={t("common.delete")}
                cancelText={t("common.cancel")}
                onConfirm={() => remove.mutate(r.id)}
              >
                <Button size="small" type="link" danger>
                  {t("common.delete")}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Form form={form} layout="inline" style={{ marginTop: 12 }} initialValues={{ months: 36 }} onFinish={(v) => add.mutate(v)}>
        <Form.Item name="categoryId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 220 }}
            aria-label={t("retention.category")}
            placeholder={t("retention.otherCategories")}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="months" rules={[{ required: true }]}>
          <InputNumber min={1} max={600} addonAfter={t("retention.monthsUnit")} aria-label={t("retention.months")} />
        </Form.Item>
        <Button htmlType="submit" loading={add.isPending}>
          {t("retention.add")}
        </Button>
      </Form>
    </Card>
  );
}
