import type { PortalTicket } from "@loopdesk/contracts/tickets";
import { Button, Card, Empty, List, Segmented, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { stateColor } from "./customer-state";
import { PortalLayout } from "./PortalLayout";
import { usePortalTickets } from "./portal-api";

/**
 * 我的工单: the customer's requests in progress and the finished ones. A customer whose requests
 * are all finished lands on those, never on an empty page.
 */
export function PortalHomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const open = usePortalTickets("open");
  const done = usePortalTickets("done");
  const [tab, setTab] = useState<"open" | "done" | null>(null);
  const openCount = open.data?.items.length ?? 0;
  const doneCount = done.data?.items.length ?? 0;
  useEffect(() => {
    if (tab === null && open.data && done.data) setTab(openCount === 0 && doneCount > 0 ? "done" : "open");
  }, [tab, open.data, done.data, openCount, doneCount]);
  const shown = tab === "done" ? done : open;
  const none = openCount + doneCount === 0 && !!open.data && !!done.data;

  return (
    <PortalLayout>
      <Card
        title={t("portal.myTickets")}
        extra={
          <Button type="primary" onClick={() => navigate("/portal/tickets/new")}>
            {t("portal.newTicket")}
          </Button>
        }
      >
        {none ? (
          <Empty description={t("portal.noTickets")} data-testid="portal-empty" />
        ) : (
          <>
            <Segmented
              data-testid="portal-tabs"
              value={tab ?? "open"}
              onChange={(v) => setTab(v as "open" | "done")}
              options={[
                { value: "open", label: `${t("portal.open")} ${openCount}` },
                { value: "done", label: `${t("portal.done")} ${doneCount}` },
              ]}
              style={{ marginBottom: 12 }}
            />
            <List<PortalTicket>
              data-testid="portal-list"
              loading={shown.isLoading}
              dataSource={shown.data?.items ?? []}
              locale={{ emptyText: t(tab === "done" ? "portal.noDone" : "portal.noOpen") }}
              renderItem={(x) => <TicketRow ticket={x} />}
            />
          </>
        )}
      </Card>
    </PortalLayout>
  );
}

function TicketRow({ ticket: x }: { ticket: PortalTicket }) {
  const { t, i18n } = useTranslation();
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <List.Item data-testid="portal-ticket">
      <List.Item.Meta
        title={
          <Space wrap>
            <Link to={`/portal/tickets/${x.id}`}>
              #{x.number} {x.subject}
            </Link>
            <Tag color={stateColor[x.state]} data-testid="portal-state">
              {t(`portal.state.${x.state}`)}
            </Tag>
          </Space>
        }
        description={
          <Space wrap size={12}>
            <Typography.Text type="secondary">{t("portal.updated", { time: fmt.format(new Date(x.updatedAt)) })}</Typography.Text>
            {x.expected && (
              <Typography.Text type="secondary">
                {t(`portal.expected.${x.expected.kind}`, { time: fmt.format(new Date(x.expected.at)) })}
              </Typography.Text>
            )}
          </Space>
        }
      />
    </List.Item>
  );
}
