import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { useCustomerWithOrganization } from "./ticket-api";
import { tierColor } from "./ticket-labels";

/**
 * Who is asking, at the top of the ticket: name, tier, organization, their other open tickets
 * (the ones this person may see) and when they last got in touch.
 */
export function CustomerStrip({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const { customer, organization } = useCustomerWithOrganization(ticket.customerId);
  const open = useQuery({
    queryKey: ["tickets", "customer-open", ticket.customerId],
    queryFn: () => api<{ count: number }>(`/tickets/count?customer=${ticket.customerId}&status=new,open,pending,on_hold`),
  });
  const latest = useQuery({
    queryKey: ["tickets", "customer-latest", ticket.customerId],
    queryFn: async () => (await api<{ items: Ticket[] }>(`/tickets?customer=${ticket.customerId}&limit=1&sort=-updated_at`)).items[0],
  });
  if (!customer.data) return null;
  const c = customer.data;
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const others = Math.max(0, (open.data?.count ?? 0) - (["solved", "closed"].includes(ticket.status) ? 0 : 1));
  return (
    <Space wrap size={[12, 4]} style={{ display: "flex", marginBottom: 12 }} data-testid="customer-strip">
      <Typography.Text strong>{c.name}</Typography.Text>
      <Tag color={tierColor[c.tier]}>{t(`tier.${c.tier}`)}</Tag>
      {organization.data && <Typography.Text type="secondary">{organization.data.name}</Typography.Text>}
      {open.data && (
        <Link to={`/?customer=${c.id}`} data-testid="customer-open-tickets">
          {t("customer.otherOpen", { count: others })}
        </Link>
      )}
      {latest.data && (
        <Typography.Text type="secondary">
          {t("customer.lastContact", { time: fmt.format(new Date(latest.data.updatedAt)) })}
        </Typography.Text>
      )}
    </Space>
  );
}
