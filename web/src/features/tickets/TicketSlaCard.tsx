import { useQuery } from "@tanstack/react-query";
import { Card, Descriptions, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { SlaDue } from "./SlaDue";

type Clock = { target: string; status: "active" | "paused" | "hit" | "missed"; dueAt: string | null; completedAt: string | null };
const statusColor = { active: "blue", paused: "default", hit: "green", missed: "red" } as const;

/** The ticket's SLA policy and each target's clock (recomputed in the background, so refreshed now and then). */
export function TicketSlaCard({ ticketId, version }: { ticketId: number; version: number }) {
  const { t } = useTranslation();
  const sla = useQuery({
    queryKey: ["ticket", ticketId, "sla", version],
    refetchInterval: 30_000,
    queryFn: () => api<{ policyName: string | null; clocks: Clock[] }>(`/tickets/${ticketId}/sla`),
  });
  if (!sla.data) return null;
  return (
    <Card size="small" title={t("sla.title")} style={{ marginTop: 16 }} data-testid="sla-card">
      {sla.data.clocks.length === 0 ? (
        <Typography.Text type="secondary">{t("sla.none")}</Typography.Text>
      ) : (
        <>
          <Typography.Text type="secondary">{t("sla.policy", { name: sla.data.policyName })}</Typography.Text>
          <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
            {sla.data.clocks.map((c) => (
              <Descriptions.Item key={c.target} label={t(`field.${c.target}`)}>
                <Tag color={statusColor[c.status]} data-testid={`sla-${c.target}`}>
                  {t(`sla.status.${c.status}`)}
                </Tag>
                {c.status === "active" && <SlaDue dueAt={c.dueAt} />}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </>
      )}
    </Card>
  );
}
