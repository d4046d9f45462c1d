import type { ClassificationSettings, ClassificationStatus } from "@loopdesk/contracts/classification";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Form, InputNumber, Space, Switch, Table, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { useList } from "../admin/admin-api";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** 智能分类: how well the model in use does on held-out tickets, per category; training now; when it files tickets itself. */
export function ClassificationAdmin() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const status = useQuery({ queryKey: ["classification"], queryFn: () => api<ClassificationStatus>("/classification") });
  const categories = useList<{ id: number; name: string }>("/categories");
  useEffect(() => {
    if (status.data) form.setFieldsValue({ ...status.data.settings, threshold: Math.round(status.data.settings.threshold * 100) });
  }, [form, status.data]);
  const refresh = () => void qc.invalidateQueries({ queryKey: ["classification"] });
  const train = useMutation({
    mutationFn: () => api("/classification/train", { method: "POST", body: {} }),
    onSuccess: () => {
      void message.success(t("classification.trained"));
      refresh();
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const save = useMutation({
    mutationFn: (v: ClassificationSettings) =>
      api<ClassificationSettings>("/classification", { method: "PATCH", body: { ...v, threshold: v.threshold / 100 } }),
    onSuccess: () => {
      void message.success(t("common.saved"));
      refresh();
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
  });
  const data = status.data;
  const model = data?.model;
  const nameOf = (id: number) => categories.data?.find((c) => c.id === id)?.name ?? t("classification.deletedCategory");
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        title={t("admin.sections.classification")}
        extra={
          <Button type="primary" loading={train.isPending} onClick={() => train.mutate()} data-testid="classification-train">
            {t("classification.trainNow")}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t("classification.help")}</Typography.Paragraph>
        {data && !model && (
          <Alert
            type="info"
            showIcon
            message={t("classification.noModel", { handled: data.handledTickets, min: data.minExamples })}
            style={{ marginBottom: 16 }}
          />
        )}
        {model && (
          <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered data-testid="classification-model">
            <Descriptions.Item label={t("classification.top1")}>{pct(model.top1)}</Descriptions.Item>
            <Descriptions.Item label={t("classification.top3")}>{pct(model.top3)}</Descriptions.Item>
            <Descriptions.Item label={t("classification.trainedAt")}>
              {new Date(model.createdAt).toLocaleString(i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t("classification.examples")}>{model.examples}</Descriptions.Item>
            <Descriptions.Item label={t("classification.heldOut")}>{model.heldOut}</Descriptions.Item>
            <Descriptions.Item label={t("classification.trainingTime")}>
              {t("classification.seconds", { n: (model.trainingMs / 1000).toFixed(1) })}
            </Descriptions.Item>
            <Descriptions.Item label={t("classification.suggested")}>{data?.usage.suggested ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t("classification.applied")}>{data?.usage.applied ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t("classification.corrected")}>{data?.usage.corrected ?? 0}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      {model && (
        <Card title={t("classification.perCategory")} size="small">
          <Table
            size="small"
            rowKey="categoryId"
            pagination={false}
            dataSource={[...model.categories].sort((a, b) => b.examples - a.examples)}
            columns={[
              { title: t("classification.category"), dataIndex: "categoryId", render: (id: number) => nameOf(id) },
              { title: t("classification.examples"), dataIndex: "examples" },
              { title: t("classification.heldOut"), dataIndex: "heldOut" },
              {
                title: t("classification.accuracy"),
                key: "accuracy",
                render: (_: unknown, c: { heldOut: number; correct: number }) => (c.heldOut ? pct(c.correct / c.heldOut) : "—"),
              },
            ]}
          />
        </Card>
      )}
      <Card title={t("classification.settings")} size="small">
        <Form form={form} layout="vertical" name="classification" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="enabled" label={t("classification.enabled")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="threshold" label={t("classification.threshold")} extra={t("classification.thresholdHelp")}>
            <InputNumber min={30} max={100} addonAfter="%" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="retrainEveryDays" label={t("classification.retrainEvery")}>
            <InputNumber min={1} max={90} addonAfter={t("classification.days")} style={{ width: 160 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
