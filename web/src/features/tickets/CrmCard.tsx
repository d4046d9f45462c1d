import type { CrmLookupResult } from "@loopdesk/contracts/intake";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { App, Button, Card, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useUpdateTicket } from "./ticket-api";

/** Orders or devices of the customer from the company's CRM/ERP, with one click to copy a record into the ticket's fields. */
export function CrmCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateTicket(ticket.id);
  const lookup = useQuery({
    queryKey: ["crm", ticket.id],
    staleTime: 60_000,
    queryFn: () => api<CrmLookupResult>(`/tickets/${ticket.id}/crm`),
  });
  if (!lookup.data?.enabled) return null;
  const d = lookup.data;
  const fill = (values: Record<string, unknown>) =>
    update.mutate(
      { changes: { customFields: values }, version: ticket.version },
      { onSuccess: () => void message.success(t("crm.filled")), onError: (e) => void message.error(errorText(t, e)) },
    );
  return (
    <Card
      size="small"
      title={t("crm.title")}
      style={{ marginTop: 16 }}
      data-testid="crm-card"
      extra={
        <Button
          size="small"
          loading={lookup.isFetching}
          onClick={() => void api<CrmLookupResult>(`/tickets/${ticket.id}/crm?refresh=true`).then(() => lookup.refetch())}
        >
          {t("crm.refresh")}
        </Button>
      }
    >
      {d.error ? (
        <Typography.Text type="danger">{t("crm.error", { reason: d.error })}</Typography.Text>
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          locale={{ emptyText: t("crm.none") }}
          dataSource={d.records}
          columns={[
            ...d.columns.map((c, i) => ({
              title: c.label,
              key: String(i),
              render: (_: unknown, r: CrmLookupResult["records"][number]) => r.values[i],
            })),
            {
              title: "",
              key: "fill",
              render: (_: unknown, r: CrmLookupResult["records"][number]) =>
                Object.keys(r.fill).length > 0 && (
                  <Button size="small" onClick={() => fill(r.fill)}>
                    {t("crm.fill")}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}
