import { type TicketColumn, ticketColumns } from "@loopdesk/contracts/staff";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { Tag, Tooltip } from "antd";
import type { ColumnType } from "antd/es/table";
import type { TFunction } from "i18next";
import { SlaDue } from "./SlaDue";
import { priorityColor, statusColor } from "./ticket-labels";

export type SortKey = "created_at" | "updated_at" | "priority" | "sla_due";
/** What a fresh queue shows; each person picks their own (saved with their preferences). */
export const DEFAULT_COLUMNS: TicketColumn[] = ticketColumns.filter((c) => c !== "channel" && c !== "createdAt");

const open = (t: Ticket) => t.status !== "solved" && t.status !== "closed";

/** The queue's columns, by key: the table shows those the person chose, in this order. */
export function queueColumns(ctx: {
  t: TFunction;
  dateFormat: Intl.DateTimeFormat;
  staffName: (id: number) => string;
  departmentName: (id: number | null) => string;
  orderOf: (key: SortKey) => "ascend" | "descend" | null;
}): Record<TicketColumn, ColumnType<Ticket>> {
  const { t, dateFormat, orderOf } = ctx;
  return {
    number: {
      title: t("tickets.number"),
      dataIndex: "number",
      key: "created_at",
      width: 90,
      sorter: true,
      sortOrder: orderOf("created_at"),
      render: (n: number) => `#${n}`,
    },
    subject: {
      title: t("tickets.subject"),
      dataIndex: "subject",
      ellipsis: true,
      className: "col-subject",
      render: (subject: string, r: Ticket) => (
        <>
          {/* An urged, unsolved ticket stands out in any queue. */}
          {r.urgeCount > 0 && open(r) && (
            <Tag color="red" data-testid="urge-marker">
              {t("urge.marker", { count: r.urgeCount })}
            </Tag>
          )}
          {r.missingFields.length > 0 && <Tag color="orange">{t("template.incomplete")}</Tag>}
          {r.duplicateOfId !== null && <Tag color="gold">{t("duplicate.tag")}</Tag>}
          {subject}
        </>
      ),
    },
    customer: { title: t("tickets.customer"), dataIndex: "customerName", width: 110, ellipsis: true, className: "col-optional" },
    status: {
      title: t("tickets.status"),
      dataIndex: "status",
      width: 100,
      render: (s: string) => <Tag color={statusColor[s]}>{t(`status.${s}`)}</Tag>,
    },
    priority: {
      title: t("tickets.priority"),
      key: "priority",
      sorter: true,
      sortOrder: orderOf("priority"),
      dataIndex: "priority",
      width: 90,
      className: "col-optional",
      render: (p: string) => <Tag color={priorityColor[p]}>{t(`priority.${p}`)}</Tag>,
    },
    assignee: {
      title: t("ticket.assignee"),
      dataIndex: "assigneeId",
      width: 100,
      className: "col-assignee col-optional",
      render: (id: number | null) => (id ? ctx.staffName(id) : <span style={{ color: "#999" }}>{t("ticket.unassigned")}</span>),
    },
    department: {
      title: t("ticket.department"),
      dataIndex: "departmentId",
      width: 100,
      className: "col-optional",
      ellipsis: true,
      render: (id: number | null) => ctx.departmentName(id),
    },
    urges: {
      title: t("tickets.urges"),
      dataIndex: "urgeCount",
      width: 70,
      className: "col-optional",
      render: (n: number) =>
        n > 0 ? (
          <Tooltip title={t("urge.count", { count: n })}>
            <Tag color="red">{n}</Tag>
          </Tooltip>
        ) : (
          ""
        ),
    },
    sla: {
      title: t("tickets.sla"),
      dataIndex: "slaDueAt",
      key: "sla_due",
      width: 120,
      sorter: true,
      sortOrder: orderOf("sla_due"),
      render: (d: string | null) => <SlaDue dueAt={d} />,
    },
    channel: {
      title: t("tickets.channel"),
      dataIndex: "channel",
      width: 90,
      className: "col-optional",
      render: (c: string) => t(`channel.${c}`),
    },
    createdAt: {
      title: t("tickets.createdAt"),
      dataIndex: "createdAt",
      width: 150,
      className: "col-optional",
      render: (d: string) => dateFormat.format(new Date(d)),
    },
    updatedAt: {
      title: t("tickets.updatedAt"),
      dataIndex: "updatedAt",
      key: "updated_at",
      width: 150,
      className: "col-optional",
      sorter: true,
      sortOrder: orderOf("updated_at"),
      render: (d: string) => dateFormat.format(new Date(d)),
    },
  };
}
