import { BellOutlined } from "@ant-design/icons";
import type { Notification } from "@loopdesk/contracts/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Empty, List, Popover, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api } from "../../api/client";

/** The bell: assignments, customer replies, urges, SLA warnings, breaches and escalations, rule notices — live; opening one marks it read. */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    queryKey: ["notifications"],
    queryFn: () => api<{ items: Notification[]; unreadCount: number }>("/notifications"),
  });
  const read = useMutation({
    mutationFn: (body: { ids: number[] } | { all: true }) => api("/notifications/read", { method: "POST", body }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const text = (n: Notification) =>
    t(`notifications.${n.type}`, {
      number: n.ticketNumber,
      name: String(n.data.byName ?? ""),
      target: n.data.target ? t(`field.${String(n.data.target)}`) : "",
      step: n.data.step,
      message: String(n.data.message ?? ""),
      count: Number(n.data.count ?? 0),
      year: Number(n.data.year ?? 0),
      tickets: Array.isArray(n.data.ticketIds) ? n.data.ticketIds.length : 0,
    });
  const content = (
    <div style={{ width: 320, maxWidth: "80vw" }} data-testid="notification-list">
      {(list.data?.items.length ?? 0) === 0 ? (
        <Empty description={t("notifications.empty")} />
      ) : (
        <List<Notification>
          size="small"
          dataSource={list.data?.items.slice(0, 20) ?? []}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: "pointer", background: n.readAt ? undefined : "#e6f4ff", paddingInline: 8 }}
              onClick={() => {
                if (!n.readAt) read.mutate({ ids: [n.id] });
                setOpen(false);
                if (n.ticketId) navigate(`/tickets/${n.ticketId}`);
                // A digest of SLA notices opens the queue of overdue tickets.
                else if (n.type === "sla_digest") navigate("/?view=breached");
                else if (n.type === "calendar_outdated") navigate("/admin/sla");
              }}
            >
              <List.Item.Meta
                title={text(n)}
                description={
                  <>
                    {n.ticketSubject && <div>{n.ticketSubject}</div>}
                    {typeof n.data.note === "string" && n.data.note && <Typography.Text italic>“{n.data.note}”</Typography.Text>}
                    {typeof n.data.reason === "string" && n.data.reason && <Typography.Text italic>“{n.data.reason}”</Typography.Text>}
                    <div>{fmt.format(new Date(n.createdAt))}</div>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {(list.data?.unreadCount ?? 0) > 0 && (
        <Button type="link" block onClick={() => read.mutate({ all: true })}>
          {t("notifications.readAll")}
        </Button>
      )}
    </div>
  );
  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" title={t("notifications.title")}>
      <Badge count={list.data?.unreadCount ?? 0} size="small" data-testid="bell-count">
        <Button type="text" aria-label={t("notifications.title")} data-testid="bell" icon={<BellOutlined style={{ fontSize: 18 }} />} />
      </Badge>
    </Popover>
  );
}
