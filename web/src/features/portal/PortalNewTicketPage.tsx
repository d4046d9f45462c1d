import type { PortalTicket } from "@loopdesk/contracts/tickets";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, Select, Space } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiError, api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { AttachButton } from "../tickets/AttachButton";
import { CustomFieldInput } from "../tickets/CustomFieldInput";
import { templateFields, useTicketFields } from "../tickets/ticket-fields";
import { useAttachments } from "../tickets/useAttachments";
import { PortalLayout } from "./PortalLayout";

type Values = { subject: string; description?: string; categoryId?: number; customFields?: Record<string, unknown> };

/** 提交工单: what the customer's question is about, the details its type needs, files — no staff fields. */
export function PortalNewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per form: a double click or a retry never makes two requests.
  const idempotencyKey = useMemo(
    () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""),
    [],
  );
  const categories = useQuery({
    queryKey: ["categories"],
    queryFn: async () => (await api<{ items: { id: number; name: string; active: boolean }[] }>("/categories")).items,
  });
  const fields = useTicketFields();
  const attachments = useAttachments();
  const categoryId = Form.useWatch("categoryId", form) as number | undefined;

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    const asked = new Set(templateFields(fields.data, v.categoryId).map((d) => d.key));
    const customFields = Object.fromEntries(
      Object.entries(v.customFields ?? {}).filter(([k, x]) => asked.has(k) && x !== undefined && x !== null && x !== ""),
    );
    try {
      const created = await api<PortalTicket>("/tickets", {
        method: "POST",
        headers: { "idempotency-key": idempotencyKey },
        body: {
          subject: v.subject,
          description: v.description ?? "",
          categoryId: v.categoryId ?? null,
          customFields,
          attachmentIds: attachments.files.map((f) => f.id),
        },
      });
      void qc.invalidateQueries({ queryKey: ["portal"] });
      void message.success(t("portal.submitted", { number: created.number }));
      navigate(`/portal/tickets/${created.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === "validation_failed" && Array.isArray(e.details))
        form.setFields(
          (e.details as { path: string }[]).map((d) => ({
            name: d.path.startsWith("customFields.") ? ["customFields", d.path.slice(13)] : d.path,
            errors: [t("form.invalid")],
          })),
        );
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PortalLayout>
      <Card title={t("portal.newTicket")} style={{ maxWidth: 720 }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="new-ticket-error" />}
        <Form form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="categoryId" label={t("portal.category")}>
            <Select
              allowClear
              data-testid="portal-category"
              options={(categories.data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item
            name="subject"
            label={t("portal.subject")}
            rules={[{ required: true, whitespace: true, max: 300, message: t("form.required", { field: t("portal.subject") }) }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t("portal.description")} extra={t("portal.descriptionHelp")}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} />
          </Form.Item>
          {templateFields(fields.data, categoryId).map((def) => (
            <CustomFieldInput key={def.id} def={def} />
          ))}
          <Form.Item>
            <Space wrap>
              <AttachButton attachments={attachments} />
            </Space>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={attachments.uploading}>
            {t("portal.submit")}
          </Button>
        </Form>
      </Card>
    </PortalLayout>
  );
}
