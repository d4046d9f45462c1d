import type { Customer } from "@loopdesk/contracts/customers";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Card, List, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { statusColor, tierColor } from "./ticket-labels";

const OPEN = "new,open,pending,on_hold";

/**
 * Beside the staff new-ticket form: the customer on the line and their requests still open (the
 * ones this agent may see), so a caller asking after an earlier request is answered there instead
 * of getting a second ticket.
 */
export function CallerOpenTickets({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const open = useQuery({
    queryKey: ["tickets", "customer-open-list", customer.id],
    queryFn: async () => (await api<{ items: Ticket[] }>(`/tickets?customer=${customer.id}&status=${OPEN}&limit=5&sort=-updated_at`)).items,
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Card size="small" title={t("newTicket.callerTitle")} data-testid="caller-open-tickets">
      <Typography.Text strong>{customer.name}</Typography.Text> <Tag color={tierColor[customer.tier]}>{t(`tier.${customer.tier}`)}</Tag>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t("newTicket.callerOpen")}
      </Typography.Title>
      <List
        size="small"
        loading={open.isLoading}
        locale={{ emptyText: t("newTicket.callerNoOpen") }}
        dataSource={open.data ?? []}
        renderItem={(x) => (
          <List.Item>
            <div>
              <Link to={`/tickets/${x.id}`}>
                #{x.number} {x.subject}
              </Link>{" "}
              <Tag color={statusColor[x.status]}>{t(`status.${x.status}`)}</Tag>
              <div>
                <Typography.Text type="secondary">
                  {t("newTicket.callerUpdated", { time: fmt.format(new Date(x.updatedAt)) })}
                </Typography.Text>
              </div>
            </div>
          </List.Item>
        )}
      />
      {(open.data?.length ?? 0) > 0 && <Typography.Text type="secondary">{t("newTicket.callerHint")}</Typography.Text>}
    </Card>
  );
}
