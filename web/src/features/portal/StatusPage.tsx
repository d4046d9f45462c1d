import type { ticketStatusAnswer } from "@loopdesk/contracts/tickets";
import { Alert, Button, Descriptions, Form, Input, InputNumber, Steps, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { Link } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { PublicCard } from "../../app/PublicCard";
import { statusColor } from "../tickets/ticket-labels";

type Answer = z.infer<typeof ticketStatusAnswer>;

/** Public: a ticket's status by its number and the email or phone used on it, without an account. */
export function StatusPage() {
  const { t, i18n } = useTranslation();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asked, setAsked] = useState<{ number: number; contact: string } | null>(null);
  const [urged, setUrged] = useState<string | null>(null);
  const urge = async () => {
    if (!asked) return;
    setUrged(null);
    try {
      await api("/public/ticket-urge", { method: "POST", body: asked });
      setUrged(t("urge.done"));
    } catch (e) {
      setUrged(errorText(t, e));
    }
  };
  const date = (d: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(d));
  const onFinish = async (v: { number: number; contact: string }) => {
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      setAnswer(await api<Answer>("/public/ticket-status", { method: "POST", body: v }));
      setAsked(v);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <PublicCard title={t("statusPage.pageTitle")} subtitle={t("statusPage.pageHelp")} maxWidth={420}>
      <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item
          label={t("tickets.number")}
          name="number"
          rules={[{ required: true, message: t("form.required", { field: t("tickets.number") }) }]}
        >
          <InputNumber style={{ width: "100%" }} min={1} precision={0} controls={false} />
        </Form.Item>
        <Form.Item
          label={t("statusPage.contact")}
          name="contact"
          rules={[{ required: true, min: 3, message: t("form.required", { field: t("statusPage.contact") }) }]}
        >
          <Input autoComplete="email" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t("statusPage.lookUp")}
        </Button>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} data-testid="status-error" />}
      {answer && (
        <Descriptions column={1} size="small" bordered style={{ marginTop: 16 }} data-testid="status-answer">
          <Descriptions.Item label={t("tickets.number")}>#{answer.number}</Descriptions.Item>
          <Descriptions.Item label={t("tickets.status")}>
            <Tag color={statusColor[answer.status]}>{t(`status.${answer.status}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("statusPage.createdAt")}>{date(answer.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t("tickets.updatedAt")}>{date(answer.updatedAt)}</Descriptions.Item>
          {answer.stages.length > 0 && (
            <Descriptions.Item label={t("statusPage.stages")}>
              <Steps
                size="small"
                direction="vertical"
                data-testid="status-stages"
                current={Math.max(
                  0,
                  answer.stages.findIndex((s) => s.state === "current"),
                )}
                items={answer.stages.map((s) => ({
                  title: s.name,
                  status: s.state === "done" ? "finish" : s.state === "current" ? "process" : "wait",
                }))}
              />
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {answer && answer.status !== "solved" && answer.status !== "closed" && (
        <Button danger block style={{ marginTop: 12 }} onClick={() => void urge()} data-testid="status-urge">
          {t("urge.button")}
        </Button>
      )}
      {urged && (
        <Typography.Paragraph style={{ marginTop: 8 }} data-testid="status-urge-result">
          {urged}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to="/portal">{t("statusPage.signInInstead")}</Link>
      </Typography.Paragraph>
    </PublicCard>
  );
}
