import type { AssignmentDecision } from "@loopdesk/contracts/routing";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { Button, Card, Collapse, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { useNamed, useStaff } from "../tickets/ticket-api";
import { useTicketAction, useTicketRouting } from "./routing-api";

const statusColor = { queued: "orange", offered: "purple", assigned: "green", manual: "default" } as const;

/**
 * 分配 on the ticket: the priority score and its parts, the team, how it was routed (every
 * decision with the people considered and why the winner won), and claim / decline / route now.
 * Transfers start from the side panel (转派), one action for department, team and person.
 */
export function RoutingCard({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const routing = useTicketRouting(ticket.id, ticket.version);
  const teams = useNamed("/teams");
  const staff = useStaff(true);
  const action = useTicketAction(ticket.id);
  const [rejecting, setRejecting] = useState(false);
  const [form] = Form.useForm();
  if (!routing.data || user?.kind !== "staff") return null;
  const r = routing.data;
  const teamName = (id: number | null) => (id === null ? t("ticket.none") : (teams.data?.find((x) => x.id === id)?.name ?? `#${id}`));
  const staffName = (id: number | null) => (id === null ? "" : (staff.data?.find((s) => s.id === id)?.name ?? `#${id}`));
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const mine = ticket.assigneeId === user.id;
  const submit = (v: { reason: string }) => action.mutate({ action: "reject", body: v }, { onSuccess: () => setRejecting(false) });

  return (
    <Card size="small" title={t("routing.title")} style={{ marginTop: 16 }} data-testid="routing-card">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t("routing.score")}>
          <Space wrap size={4}>
            <Typography.Text strong data-testid="priority-score">
              {r.priorityScore}
            </Typography.Text>
            {(["tier", "priority", "category", "urgency", "sla"] as const)
              .filter((k) => (r.scoreParts[k] ?? 0) !== 0)
              .map((k) => (
                <Tag key={k} data-testid={`score-${k}`}>
                  {t(`routing.parts.${k}`)} {r.scoreParts[k]}
                </Tag>
              ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t("routing.team")}>
          <span data-testid="routing-team">{teamName(r.teamId)}</span>
          {r.routingStatus && (
            <Tag color={statusColor[r.routingStatus]} style={{ marginInlineStart: 8 }} data-testid="routing-status">
              {t(`routing.status.${r.routingStatus}`)}
            </Tag>
          )}
        </Descriptions.Item>
        {r.transferCount > 0 && <Descriptions.Item label={t("routing.transfers")}>{r.transferCount}</Descriptions.Item>}
      </Descriptions>
      <Space wrap style={{ margin: "8px 0" }}>
        {r.routingStatus === "offered" && ticket.assigneeId === null && (
          <Button
            type="primary"
            size="small"
            data-testid="claim"
            loading={action.isPending}
            onClick={() => action.mutate({ action: "claim" })}
          >
            {t("routing.claim")}
          </Button>
        )}
        {mine && (
          <Button
            size="small"
            data-testid="reject"
            onClick={() => {
              form.resetFields();
              setRejecting(true);
            }}
          >
            {t("routing.reject")}
          </Button>
        )}
        {user.role !== "agent" && ticket.assigneeId === null && (
          <Button size="small" data-testid="route-now" onClick={() => action.mutate({ action: "route" })}>
            {t("routing.routeNow")}
          </Button>
        )}
      </Space>
      {r.decisions.length > 0 && (
        <Collapse
          size="small"
          data-testid="routing-decisions"
          items={[...r.decisions].reverse().map((d) => ({
            key: d.id,
            label: (
              <span data-testid="routing-decision">
                {fmt.format(new Date(d.createdAt))} · {t(`routing.outcome.${d.outcome}`)}
                {d.staffId !== null ? ` · ${staffName(d.staffId)}` : d.teamId !== null ? ` · ${teamName(d.teamId)}` : ""}
                {d.reason !== d.outcome && ` · ${t(`routing.reasons.${d.reason}`, { defaultValue: d.reason })}`}
              </span>
            ),
            children: <DecisionDetails decision={d} staffName={staffName} teamName={teamName} />,
          }))}
        />
      )}
      <Modal
        open={rejecting}
        title={t("routing.reject")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        onCancel={() => setRejecting(false)}
        confirmLoading={action.isPending}
        forceRender
      >
        <Form form={form} layout="vertical" name="routing-action" onFinish={submit}>
          <Form.Item name="reason" label={t("routing.reason")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input.TextArea rows={2} maxLength={500} data-testid="routing-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function DecisionDetails({
  decision: d,
  staffName,
  teamName,
}: {
  decision: AssignmentDecision;
  staffName: (id: number | null) => string;
  teamName: (id: number | null) => string;
}) {
  const { t } = useTranslation();
  const text = typeof d.details.text === "string" ? d.details.text : null;
  const moreEligible = typeof d.details.moreEligible === "number" ? d.details.moreEligible : 0;
  return (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      <Typography.Text type="secondary">
        {t("routing.team")}: {teamName(d.teamId)}
        {d.strategy && ` · ${t(`routing.strategies.${d.strategy}`)}`}
        {typeof d.details.ruleName === "string" && ` · ${t("routing.rule")}: ${d.details.ruleName}`}
      </Typography.Text>
      {text && <Typography.Text>{text}</Typography.Text>}
      {d.candidates.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey="staffId"
          dataSource={d.candidates}
          columns={[
            {
              title: t("routing.agent"),
              dataIndex: "staffId",
              render: (id: number) => (id === d.staffId ? <b>{staffName(id)}</b> : staffName(id)),
            },
            { title: t("routing.load"), key: "load", render: (_: unknown, c) => `${c.load}/${c.capacity}` },
            { title: t("routing.skill"), dataIndex: "skill" },
            {
              title: t("routing.why"),
              dataIndex: "excluded",
              render: (x?: string) => (x ? <Tag>{t(`routing.excluded.${x}`, { defaultValue: x })}</Tag> : d.staffId !== null ? "" : "✓"),
            },
          ]}
        />
      )}
      {moreEligible > 0 && (
        <Typography.Text type="secondary" data-testid="routing-more-eligible">
          {t("routing.moreEligible", { count: moreEligible })}
        </Typography.Text>
      )}
    </Space>
  );
}
