import type { CustomFieldDefinition } from "@loopdesk/contracts/custom-fields";
import type { WidgetConversation } from "@loopdesk/contracts/intake";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Empty, Form, Input, List, Select, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { HelpSuggestions, useHelpVisit } from "../help/HelpSuggestions";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { RatingForm } from "../feedback/RatingForm";
import { CustomFieldInput } from "../tickets/CustomFieldInput";
import { templateFields } from "../tickets/ticket-fields";
import { statusColor } from "../tickets/ticket-labels";
import { type WidgetTicket, storeTicket, storedTickets } from "./widget-store";

type Config = { categories: { id: number; name: string }[]; fields: CustomFieldDefinition[] };

/**
 * The embeddable widget (loaded in an iframe by /widget.js): a request form with the category's
 * template, then the conversation with replies, for this browser's requests.
 */
export function WidgetPage() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<WidgetTicket | "new" | null>(() => (storedTickets().length ? null : "new"));
  const [tickets, setTickets] = useState(storedTickets);
  useEffect(() => {
    const lang = new URLSearchParams(window.location.search).get("lang");
    if (lang === "en" || lang === "zh-CN") void i18n.changeLanguage(lang);
  }, [i18n]);
  return (
    <div style={{ padding: 12, maxWidth: 560, margin: "0 auto" }} data-testid="widget">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t("widget.title")}
        </Typography.Title>
        {open !== null ? (
          <Button size="small" onClick={() => setOpen(null)}>
            {t("widget.myRequests")}
          </Button>
        ) : (
          <Button size="small" type="primary" onClick={() => setOpen("new")}>
            {t("widget.newRequest")}
          </Button>
        )}
      </Space>
      {open === "new" && (
        <RequestForm
          onCreated={(ticket) => {
            storeTicket(ticket);
            setTickets(storedTickets());
            setOpen(ticket);
          }}
        />
      )}
      {open !== null && open !== "new" && <Conversation ticket={open} />}
      {open === null && (
        <List
          locale={{ emptyText: <Empty description={t("widget.none")} /> }}
          dataSource={tickets}
          renderItem={(x) => (
            <List.Item style={{ cursor: "pointer" }} onClick={() => setOpen(x)}>
              #{x.number} {x.subject}
            </List.Item>
          )}
        />
      )}
    </div>
  );
}

function RequestForm({ onCreated }: { onCreated: (t: WidgetTicket) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [shownAt] = useState(() => Date.now());
  const config = useQuery({ queryKey: ["widget-config"], queryFn: () => api<Config>("/widget/config") });
  const categoryId = Form.useWatch("categoryId", form) as number | undefined;
  const fields = templateFields(config.data?.fields, categoryId ?? null);
  const visit = useHelpVisit("widget");
  const subject = (Form.useWatch("subject", form) as string | undefined) ?? "";
  const send = useMutation({
    mutationFn: (v: Record<string, unknown>) =>
      api<{ number: number; token: string }>("/widget/tickets", {
        method: "POST",
        body: { ...v, customFields: v.customFields ?? {}, shownAt },
      }),
    onSuccess: (r, v) => {
      visit.submitted();
      onCreated({ number: r.number, token: r.token, subject: String(v.subject) });
    },
    onError: (e) => void showFieldErrors(form, t, e),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v) => send.mutate(v)} data-testid="widget-form">
      <Form.Item name="name" label={t("widget.name")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
        <Input maxLength={100} autoComplete="name" />
      </Form.Item>
      <Form.Item name="email" label={t("widget.email")} rules={[{ required: true, type: "email", message: t("form.invalid") }]}>
        <Input autoComplete="email" />
      </Form.Item>
      {(config.data?.categories.length ?? 0) > 0 && (
        <Form.Item name="categoryId" label={t("widget.category")}>
          <Select allowClear options={config.data?.categories.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
      )}
      <Form.Item name="subject" label={t("widget.subject")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
        <Input maxLength={300} />
      </Form.Item>
      <HelpSuggestions text={subject} visit={visit} />
      <Form.Item
        name="description"
        label={t("widget.description")}
        rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
      >
        <Input.TextArea rows={4} maxLength={20_000} />
      </Form.Item>
      {fields.map((d) => (
        <CustomFieldInput key={d.id} def={d} />
      ))}
      {/* A trap for bots: hidden from people and from assistive technology, so only a bot fills it. */}
      <Form.Item name="website" hidden>
        <Input tabIndex={-1} autoComplete="off" aria-hidden />
      </Form.Item>
      {send.error && !(send.error as { details?: unknown }).details && (
        <Alert type="error" showIcon title={errorText(t, send.error)} style={{ marginBottom: 12 }} />
      )}
      <Button type="primary" htmlType="submit" loading={send.isPending} block>
        {t("widget.submit")}
      </Button>
    </Form>
  );
}

function Conversation({ ticket }: { ticket: WidgetTicket }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState("");
  const headers = { "x-widget-token": ticket.token };
  const conv = useQuery({
    queryKey: ["widget-ticket", ticket.token],
    queryFn: () => api<WidgetConversation>("/widget/ticket", { headers }),
    refetchInterval: 10_000,
  });
  const reply = useMutation({
    mutationFn: () => api<WidgetConversation>("/widget/ticket/messages", { method: "POST", body: { body: text }, headers }),
    onSuccess: () => {
      setText("");
      void conv.refetch();
    },
  });
  const rate = useMutation({
    mutationFn: (v: { rating: number; comment?: string }) =>
      api<WidgetConversation>("/widget/ticket/rating", { method: "POST", body: v, headers }),
    onSuccess: () => void conv.refetch(),
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  if (conv.error) return <Alert type="error" showIcon title={errorText(t, conv.error)} />;
  if (!conv.data) return null;
  const c = conv.data;
  return (
    <div data-testid="widget-conversation">
      <Typography.Text strong>
        #{c.number} {c.subject}
      </Typography.Text>{" "}
      <Tag color={statusColor[c.status as keyof typeof statusColor]}>{t(`status.${c.status}`)}</Tag>
      <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
        {t("widget.received", { number: c.number })}
      </Typography.Paragraph>
      {c.messages.map((m) => (
        <Card
          key={m.id}
          size="small"
          style={{ marginBottom: 8, background: m.fromCustomer ? "#f6ffed" : undefined }}
          data-testid="widget-message"
        >
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.fromCustomer ? t("widget.you") : (m.authorName ?? t("author.staff"))} · {fmt.format(new Date(m.createdAt))}
          </Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{m.body}</Typography.Paragraph>
        </Card>
      ))}
      {(c.status === "solved" || c.status === "closed") &&
        (c.csat ? (
          <Alert
            type="success"
            showIcon
            data-testid="widget-rated"
            title={t("widget.yourRating", { rating: c.csat.rating })}
            description={c.csat.comment ?? t("feedback.thanks")}
            style={{ marginBottom: 8 }}
          />
        ) : (
          <Card size="small" title={t("widget.rateTitle")} style={{ marginBottom: 8 }}>
            {rate.error && <Alert type="error" showIcon title={errorText(t, rate.error)} style={{ marginBottom: 8 }} />}
            <RatingForm busy={rate.isPending} onSubmit={(v) => rate.mutate(v)} />
          </Card>
        ))}
      <Input.TextArea
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t("widget.replyPlaceholder")}
        aria-label={t("widget.reply")}
      />
      {reply.error && <Alert type="error" showIcon title={errorText(t, reply.error)} style={{ marginTop: 8 }} />}
      <Button style={{ marginTop: 8 }} type="primary" disabled={!text.trim()} loading={reply.isPending} onClick={() => reply.mutate()}>
        {t("widget.reply")}
      </Button>
    </div>
  );
}
