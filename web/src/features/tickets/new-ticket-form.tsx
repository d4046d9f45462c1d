import { useQuery } from "@tanstack/react-query";
import { Button, Form, type FormInstance, Space } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { AttachButton } from "./AttachButton";
import { CustomFieldInput } from "./CustomFieldInput";
import { templateFields, useTicketFields } from "./ticket-fields";
import { useAttachments } from "./useAttachments";

type Base = { subject: string; description?: string; categoryId?: number; customFields?: Record<string, unknown> };

/**
 * What the staff and the customer forms for a new ticket share: categories, the category's
 * template fields, uploads, one idempotency key per form (a double click or a retry never makes
 * two tickets), and a submit that puts the server's field errors on their fields.
 */
export function useNewTicketForm<V extends Base>(form: FormInstance<V>) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // getRandomValues, unlike randomUUID, also works on plain-http intranet addresses.
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
  // The chosen category's template decides which fields the form asks for.
  const categoryId = Form.useWatch("categoryId", form) as number | undefined;

  /** Creates the ticket from the form's shared values plus `extra`; answers it, or null after showing the error. */
  const submit = async <T,>(v: V, extra: Record<string, unknown>, fieldOf: (path: string) => string = (p) => p): Promise<T | null> => {
    setBusy(true);
    setError(null);
    // Only the chosen category's fields; values typed for another category's template are dropped.
    const asked = new Set(templateFields(fields.data, v.categoryId).map((d) => d.key));
    const customFields = Object.fromEntries(
      Object.entries(v.customFields ?? {}).filter(([k, x]) => asked.has(k) && x !== undefined && x !== null && x !== ""),
    );
    try {
      return await api<T>("/tickets", {
        method: "POST",
        headers: { "idempotency-key": idempotencyKey },
        body: {
          subject: v.subject,
          description: v.description ?? "",
          categoryId: v.categoryId ?? null,
          customFields,
          attachmentIds: attachments.files.map((f) => f.id),
          ...extra,
        },
      });
    } catch (e) {
      // Field-level messages from the shared schemas land on their fields.
      if (e instanceof ApiError && e.code === "validation_failed" && Array.isArray(e.details))
        form.setFields(
          (e.details as { path: string }[]).map((d) => ({
            name: (d.path.startsWith("customFields.") ? ["customFields", d.path.slice(13)] : fieldOf(d.path)) as never,
            errors: [t("form.invalid")],
          })),
        );
      setError(errorText(t, e));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const categoryOptions = (categories.data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }));
  return { submit, error, busy, categoryOptions, attachments, templateOf: () => templateFields(fields.data, categoryId) };
}

/** The end of either form: the category's template fields, files, and the submit button. */
export function NewTicketFormEnd({
  state,
  submitText,
}: {
  state: Pick<ReturnType<typeof useNewTicketForm>, "templateOf" | "attachments" | "busy">;
  submitText: string;
}) {
  return (
    <>
      {state.templateOf().map((def) => (
        <CustomFieldInput key={def.id} def={def} />
      ))}
      <Form.Item>
        <Space wrap>
          <AttachButton attachments={state.attachments} />
        </Space>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={state.busy} disabled={state.attachments.uploading}>
        {submitText}
      </Button>
    </>
  );
}
