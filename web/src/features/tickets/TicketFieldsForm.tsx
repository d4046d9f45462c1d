import type { CustomFieldDefinition } from "@loopdesk/contracts/custom-fields";
import type { Ticket, UpdateTicketBody } from "@loopdesk/contracts/tickets";
import { Alert, App, Button, Card, Descriptions, Form } from "antd";
import type { TFunction } from "i18next";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { errorText } from "../../app/error-text";
import { fieldText } from "../../app/field-text";
import { showFieldErrors } from "../../app/form-errors";
import { CustomFieldInput } from "./CustomFieldInput";
import { useUpdateTicket } from "./ticket-api";
import { templateFields, useTicketFields } from "./ticket-fields";

const shown = (def: CustomFieldDefinition, v: unknown, t: TFunction) => {
  if (v === undefined || v === null || v === "") return "—";
  if (typeof v === "boolean") return v ? "✓" : "✗";
  return fieldText(def, v, t);
};

/**
 * The ticket's custom fields: its category's template plus any field that has a value. Staff edit
 * them with the same rules the server applies; customers see the values.
 */
export function TicketFieldsForm({
  ticket,
  editable,
  onConflict,
}: {
  ticket: Ticket;
  editable: boolean;
  onConflict: (changes: UpdateTicketBody) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const defs = useTicketFields();
  const update = useUpdateTicket(ticket.id);
  const [form] = Form.useForm();
  const template = templateFields(defs.data, ticket.categoryId);
  const fields = [...template, ...(defs.data ?? []).filter((d) => ticket.customFields[d.key] !== undefined && !template.includes(d))];
  useEffect(() => form.setFieldsValue({ customFields: ticket.customFields }), [form, ticket.customFields]);
  if (fields.length === 0) return null;
  if (!editable)
    return (
      <Card size="small" title={t("ticket.fields")} style={{ marginTop: 16 }}>
        <Descriptions column={1} size="small">
          {fields.map((d) => (
            <Descriptions.Item key={d.key} label={d.label}>
              {shown(d, ticket.customFields[d.key], t)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
    );
  const save = (v: { customFields?: Record<string, unknown> }) => {
    // A cleared field is sent as null, which removes its value.
    const customFields = Object.fromEntries(
      fields.map((d) => [d.key, v.customFields?.[d.key] === "" ? null : (v.customFields?.[d.key] ?? null)]),
    );
    update.mutate(
      { changes: { customFields }, version: ticket.version },
      {
        onSuccess: () => void message.success(t("common.saved")),
        onError: (e) => {
          if (e instanceof ApiError && e.code === "precondition_failed") onConflict({ customFields });
          else if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
        },
      },
    );
  };
  return (
    <Card size="small" title={t("ticket.fields")} style={{ marginTop: 16 }} data-testid="ticket-fields">
      <MissingInfo ticket={ticket} fields={fields} />
      <Form form={form} layout="vertical" size="small" onFinish={save} initialValues={{ customFields: ticket.customFields }}>
        {fields.map((d) => (
          <CustomFieldInput key={d.id} def={d} />
        ))}
        <Button htmlType="submit" loading={update.isPending}>
          {t("ticket.saveFields")}
        </Button>
      </Form>
    </Card>
  );
}

/** 信息不全: which required fields the ticket still lacks (the customer was asked for them once). */
function MissingInfo({ ticket, fields }: { ticket: Ticket; fields: CustomFieldDefinition[] }) {
  const { t } = useTranslation();
  if (ticket.missingFields.length === 0) return null;
  const labels = ticket.missingFields.map((k) => fields.find((f) => f.key === k)?.label ?? k);
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="missing-info"
      style={{ marginBottom: 8 }}
      title={t("template.missing", { fields: labels.join(t("common.listSep")) })}
    />
  );
}
