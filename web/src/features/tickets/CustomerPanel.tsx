import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Card, List, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Pending } from "../../app/Pending";
import { Link } from "react-router";
import { api } from "../../api/client";
import { useCustomerWithOrganization } from "./ticket-api";
import { MergeCustomerButton } from "./MergeCustomerButton";
import { statusColor, tierColor } from "./ticket-labels";

/** Who is asking: identities, tier, and their previous tickets (for staff). */
export function CustomerPanel({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const { customer, organization } = useCustomerWithOrganization(ticket.customerId);
  const history = useQuery({
    queryKey: ["tickets", "customer", ticket.customerId],
    queryFn: async () => (await api<{ items: Ticket[] }>(`/tickets?customer=${ticket.customerId}&limit=6&sort=-created_at`)).items,
  });
  const previous = (history.data ?? []).filter((x) => x.id !== ticket.id).slice(0, 5);
  if (!customer.data) return null;
  const c = customer.data;
  return (
    <Card
      size="small"
      title={t("customer.title")}
      extra={editable ? <MergeCustomerButton customer={c} /> : undefined}
      style={{ marginTop: 16 }}
      data-testid="customer-panel"
    >
      <Typography.Text strong>{c.name}</Typography.Text> <Tag color={tierColor[c.tier]}>{t(`tier.${c.tier}`)}</Tag>
      <div style={{ marginTop: 8 }}>
        {c.identities.map((i) => (
          <div key={i.id}>
            <Typography.Text type="secondary">
              {t(`identity.${i.kind}`)}
              {t("common.labelSep")}
            </Typography.Text>
            <Typography.Text copyable>{i.value}</Typography.Text>
          </div>
        ))}
      </div>
      {organization.data && (
        <div data-testid="customer-organization">
          <Typography.Text type="secondary">
            {t("customer.organization")}
            {t("common.labelSep")}
          </Typography.Text>
          <Typography.Text>{organization.data.name}</Typography.Text>
        </div>
      )}
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t("customer.previousTickets")}
      </Typography.Title>
      {history.error ? (
        <Pending error={history.error} retry={() => void history.refetch()} />
      ) : (
        <List
          size="small"
          loading={history.isLoading}
          locale={{ emptyText: t("customer.noPrevious") }}
          dataSource={previous}
          renderItem={(x) => (
            <List.Item>
              <Link to={`/tickets/${x.id}`}>
                #{x.number} {x.subject}
              </Link>
              <Tag color={statusColor[x.status]}>{t(`status.${x.status}`)}</Tag>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
