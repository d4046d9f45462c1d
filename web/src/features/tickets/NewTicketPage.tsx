import type { Customer } from "@loopdesk/contracts/customers";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Alert, AutoComplete, Button, Card, Form, Input, Layout, Select, Space } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { ApiError, api } from "../../api/client";
import { AppHeader } from "../../app/AppHeader";
import { errorText } from "../../app/error-text";
import { useSession } from "../auth/session";
import { AttachButton } from "./AttachButton";
import { CustomFieldInput } from "./CustomFieldInput";
import { useAttachments } from "./useAttachments";
import { templateFields, useTicketFields } from "./ticket-fields";
import { priorities } from "./ticket-labels";

type Values = {
  customer?: string;
  customerName?: string;
  subject: string;
  description?: string;
  categoryId?: number;
  priority: string;
  channel: string;
  customFields?: Record<string, unknown>;
};

const isEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
const isPhone = (s: string) => /^\+?[0-9][0-9 -]{4,30}$/.test(s);

/** A ticket taken on behalf of a customer (phone call, walk-in): find or create the customer by email or phone. */
export function NewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const isStaff = useSession().user?.kind === "staff";
  const [form] = Form.useForm<Values>();
  const [search, setSearch] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per form: a double click or a retry after a timeout never makes two tickets.
  // (getRandomValues, unlike randomUUID, also works on plain-http intranet addresses.)
  const idempotencyKey = useMemo(
    () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""),
    [],
  );

  const customers = useQuery({
    queryKey: ["customers", search],
    enabled: isStaff && search.trim().length >= 1,
    queryFn: async () => (await api<{ items: Customer[] }>(`/customers?q=${encodeURIComponent(search.trim())}&limit=10`)).items,
  });
  const categories = useQuery({
    queryKey: ["categories"],
    queryFn: async () => (await api<{ items: { id: number; name: string; active: boolean }[] }>("/categories")).items,
  });
  const fields = useTicketFields();
  const attachments = useAttachments();
  // The chosen category's template decides which fields the form asks for.
  const categoryId = Form.useWatch("categoryId", form) as number | undefined;

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    // Staff name the customer; a signed-in customer always asks for themself.
    const contact = (v.customer ?? "").trim();
    const chosen = customers.data?.find((c) => String(c.id) === contact);
    const customer = chosen
      ? { id: chosen.id }
      : isEmail(contact)
        ? { email: contact, name: v.customerName }
        : { phone: contact, name: v.customerName };
    // Only the chosen category's fields; values typed for another category's template are dropped.
    const asked = new Set(templateFields(fields.data, v.categoryId).map((d) => d.key));
    const customFields = Object.fromEntries(
      Object.entries(v.customFields ?? {}).filter(([k, x]) => asked.has(k) && x !== undefined && x !== null && x !== ""),
    );
    try {
      const ticket = await api<Ticket>("/tickets", {
        method: "POST",
        headers: { "idempotency-key": idempotencyKey },
        body: {
          subject: v.subject,
          description: v.description ?? "",
          ...(isStaff ? { customer, channel: v.channel } : {}),
          categoryId: v.categoryId ?? null,
          priority: v.priority,
          customFields,
          attachmentIds: attachments.files.map((f) => f.id),
        },
      });
      navigate(`/tickets/${ticket.id}`);
    } catch (e) {
      // Field-level messages from the shared schemas land on their fields.
      if (e instanceof ApiError && e.code === "validation_failed" && Array.isArray(e.details)) {
        form.setFields(
          (e.details as { path: string; message: string }[]).map((d) => ({
            name: d.path.startsWith("customFields.")
              ? ["customFields", d.path.slice(13)]
              : d.path.startsWith("customer")
                ? "customer"
                : d.path,
            errors: [t("form.invalid")],
          })),
        );
      }
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Link to="/">← {t("ticket.back")}</Link>
        <Card title={t("newTicket.title")} style={{ maxWidth: 720, marginTop: 12 }}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="new-ticket-error" />}
          <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ priority: "normal", channel: "phone" }}>
            {isStaff && (
              <Form.Item
                name="customer"
                label={t("newTicket.customer")}
                extra={t("newTicket.customerHelp")}
                rules={[
                  { required: true, message: t("form.required", { field: t("newTicket.customer") }) },
                  {
                    validator: (_r, v: string) =>
                      !v || isEmail(v.trim()) || isPhone(v.trim()) || customers.data?.some((c) => String(c.id) === v)
                        ? Promise.resolve()
                        : Promise.reject(new Error(t("newTicket.customerInvalid"))),
                  },
                ]}
              >
                <AutoComplete
                  aria-label={t("newTicket.customer")}
                  onSearch={setSearch}
                  options={(customers.data ?? []).map((c) => ({
                    value: String(c.id),
                    label: `${c.name} · ${c.identities.map((i) => i.value).join(", ")}`,
                  }))}
                />
              </Form.Item>
            )}
            {isStaff && (
              <Form.Item name="customerName" label={t("newTicket.customerName")}>
                <Input />
              </Form.Item>
            )}
            <Form.Item
              name="subject"
              label={t("tickets.subject")}
              rules={[{ required: true, whitespace: true, max: 300, message: t("form.required", { field: t("tickets.subject") }) }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="description" label={t("newTicket.description")}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
            <Form.Item name="categoryId" label={t("newTicket.category")}>
              <Select allowClear options={(categories.data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
            <Form.Item name="priority" label={t("tickets.priority")}>
              <Select options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
            </Form.Item>
            {isStaff && (
              <Form.Item name="channel" label={t("tickets.channel")}>
                <Select options={["phone", "email", "portal", "wecom", "api"].map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
              </Form.Item>
            )}
            {templateFields(fields.data, categoryId).map((def) => (
              <CustomFieldInput key={def.id} def={def} />
            ))}
            <Form.Item>
              <Space wrap>
                <AttachButton attachments={attachments} />
              </Space>
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} disabled={attachments.uploading}>
              {t("newTicket.create")}
            </Button>
          </Form>
        </Card>
      </Layout.Content>
    </Layout>
  );
}
