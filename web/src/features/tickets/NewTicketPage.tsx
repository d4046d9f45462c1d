import { type Customer, mainlandMobile } from "@loopdesk/contracts/customers";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Alert, AutoComplete, Card, Col, Form, Input, Layout, Row, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import { AppHeader } from "../../app/AppHeader";
import { CategoryGuess } from "../classification/CategoryGuess";
import { CallerOpenTickets } from "./CallerOpenTickets";
import { NewTicketFormEnd, useNewTicketForm } from "./new-ticket-form";
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
/** An email or phone as the server matches it: a mainland mobile with or without +86 is one number. */
const contactKey = (s: string) => mainlandMobile(s) ?? s.replace(/[\s\-().]/g, "").toLowerCase();
const sameContact = (a: string, b: string) => contactKey(a) === contactKey(b);

/** A ticket taken on behalf of a customer (phone call, walk-in): find or create the customer by email or phone. */
export function NewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [search, setSearch] = useState("");
  // An existing customer picked from the search: the field shows their name, not their id.
  const [chosen, setChosen] = useState<Customer | null>(null);
  const state = useNewTicketForm(form);
  const subject = (Form.useWatch("subject", form) as string | undefined) ?? "";
  const description = (Form.useWatch("description", form) as string | undefined) ?? "";
  const categoryId = Form.useWatch("categoryId", form) as number | undefined;
  const contact = ((Form.useWatch("customer", form) as string | undefined) ?? "").trim();
  const customers = useQuery({
    queryKey: ["customers", search],
    enabled: search.trim().length >= 1,
    queryFn: async () => (await api<{ items: Customer[] }>(`/customers?q=${encodeURIComponent(search.trim())}&limit=10`)).items,
  });

  const labelOf = (c: Customer) => `${c.name} · ${c.identities.map((i) => i.value).join(", ")}`;
  // The caller is known when picked, or when the typed email or phone is one of a customer's.
  const known =
    chosen ?? (contact ? customers.data?.find((c) => c.identities.some((i) => sameContact(i.value, contact))) : undefined) ?? null;
  const onFinish = async (v: Values) => {
    const typed = (v.customer ?? "").trim();
    const customer = chosen
      ? { id: chosen.id }
      : isEmail(typed)
        ? { email: typed, name: v.customerName }
        : { phone: typed, name: v.customerName };
    const fieldOf = (path: string) => (path.startsWith("customer") ? "customer" : path);
    const ticket = await state.submit<Ticket>(v, { customer, channel: v.channel, priority: v.priority }, fieldOf);
    if (ticket) navigate(`/tickets/${ticket.id}`);
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Link to="/">← {t("ticket.back")}</Link>
        <Row gutter={16} style={{ marginTop: 12 }}>
          <Col xs={24} lg={14} xl={12}>
            <Card title={t("newTicket.title")}>
              {state.error && (
                <Alert type="error" showIcon title={state.error} style={{ marginBottom: 16 }} data-testid="new-ticket-error" />
              )}
              <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ priority: "normal", channel: "phone" }}>
                <Form.Item
                  name="customer"
                  label={t("newTicket.customer")}
                  extra={t("newTicket.customerHelp")}
                  rules={[
                    { required: true, message: t("form.required", { field: t("newTicket.customer") }) },
                    {
                      validator: (_r, v: string) =>
                        !v || chosen || isEmail(v.trim()) || isPhone(v.trim())
                          ? Promise.resolve()
                          : Promise.reject(new Error(t("newTicket.customerInvalid"))),
                    },
                  ]}
                >
                  <AutoComplete
                    aria-label={t("newTicket.customer")}
                    onSearch={setSearch}
                    onChange={(v: string) => {
                      // Picking an option hands over its id: remember the customer and show their name.
                      const picked = customers.data?.find((c) => String(c.id) === v);
                      if (picked) {
                        setChosen(picked);
                        form.setFieldValue("customer", labelOf(picked));
                      } else if (chosen && v !== labelOf(chosen)) setChosen(null);
                    }}
                    options={(customers.data ?? []).map((c) => ({ value: String(c.id), label: labelOf(c) }))}
                  />
                </Form.Item>
                {!known && (
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
                <Form.Item
                  name="categoryId"
                  label={t("newTicket.category")}
                  extra={
                    categoryId === undefined || categoryId === null ? (
                      <CategoryGuess
                        subject={subject}
                        description={description}
                        nameOf={(id) => state.categoryOptions.find((o) => o.value === id)?.label}
                        onTake={(id) => form.setFieldValue("categoryId", id)}
                      />
                    ) : undefined
                  }
                >
                  <Select allowClear aria-label={t("newTicket.category")} options={state.categoryOptions} />
                </Form.Item>
                <Form.Item name="priority" label={t("tickets.priority")}>
                  <Select options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
                </Form.Item>
                <Form.Item name="channel" label={t("tickets.channel")}>
                  <Select options={["phone", "email", "portal", "wecom", "api"].map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
                </Form.Item>
                <NewTicketFormEnd state={state} submitText={t("newTicket.create")} />
              </Form>
            </Card>
          </Col>
          {known && (
            <Col xs={24} lg={10} xl={8}>
              <CallerOpenTickets customer={known} />
            </Col>
          )}
        </Row>
      </Layout.Content>
    </Layout>
  );
}
