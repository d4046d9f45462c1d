import type { PortalTicket } from "@loopdesk/contracts/tickets";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Card, Form, Input, Select } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { HelpSuggestions, useHelpVisit } from "../help/HelpSuggestions";
import { NewTicketFormEnd, useNewTicketForm } from "../tickets/new-ticket-form";
import { PortalLayout } from "./PortalLayout";

type Values = { subject: string; description?: string; categoryId?: number; customFields?: Record<string, unknown> };

/** 提交工单: what the customer's question is about, the details its type needs, files — no staff fields. */
export function PortalNewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const state = useNewTicketForm(form);
  const visit = useHelpVisit("portal");
  const subject = Form.useWatch("subject", form) ?? "";

  const onFinish = async (v: Values) => {
    const created = await state.submit<PortalTicket>(v, {});
    if (!created) return;
    visit.submitted();
    void qc.invalidateQueries({ queryKey: ["portal"] });
    void message.success(t("portal.submitted", { number: created.number }));
    navigate(`/portal/tickets/${created.id}`);
  };

  return (
    <PortalLayout>
      <Card title={t("portal.newTicket")} style={{ maxWidth: 720 }}>
        {state.error && <Alert type="error" showIcon title={state.error} style={{ marginBottom: 16 }} data-testid="new-ticket-error" />}
        <Form form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="categoryId" label={t("portal.category")}>
            <Select allowClear data-testid="portal-category" options={state.categoryOptions} />
          </Form.Item>
          <Form.Item
            name="subject"
            label={t("portal.subject")}
            rules={[{ required: true, whitespace: true, max: 300, message: t("form.required", { field: t("portal.subject") }) }]}
          >
            <Input />
          </Form.Item>
          <HelpSuggestions text={subject} visit={visit} />
          <Form.Item name="description" label={t("portal.description")} extra={t("portal.descriptionHelp")}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} />
          </Form.Item>
          <NewTicketFormEnd state={state} submitText={t("portal.submit")} />
        </Form>
      </Card>
    </PortalLayout>
  );
}
