import type { ListTicketsQuery, Ticket } from "@loopdesk/contracts/tickets";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { customerNames } from "../customers/customer-service";
import { listCategories } from "../directory/category-service";
import { listDepartments } from "../directory/department-service";
import { staffNames } from "../staff/staff-service";
import { listTickets } from "./list-tickets";

/** An export holds at most this many tickets (newest first by the chosen sort); the rest is cut, and said so. */
export const EXPORT_LIMIT = 10_000;

const labels = {
  "zh-CN": {
    head: [
      "工单号",
      "主题",
      "状态",
      "优先级",
      "渠道",
      "工单类型",
      "部门",
      "处理人",
      "客户",
      "标签",
      "创建时间",
      "更新时间",
      "解决时间",
      "SLA 到期",
    ],
    status: { new: "新建", open: "处理中", pending: "等待客户", on_hold: "挂起", solved: "已解决", closed: "已关闭" } as Record<
      string,
      string
    >,
    priority: { low: "低", normal: "普通", high: "高", urgent: "紧急" } as Record<string, string>,
  },
  en: {
    head: [
      "Number",
      "Subject",
      "Status",
      "Priority",
      "Channel",
      "Category",
      "Department",
      "Assignee",
      "Customer",
      "Tags",
      "Created",
      "Updated",
      "Solved",
      "SLA due",
    ],
    status: { new: "New", open: "Open", pending: "Pending", on_hold: "On hold", solved: "Solved", closed: "Closed" } as Record<
      string,
      string
    >,
    priority: { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" } as Record<string, string>,
  },
};

/** The tickets a list shows (same filters, same visibility), as rows of display values. */
export async function exportRows(ctx: AppContext, principal: Principal, query: Omit<ListTicketsQuery, "cursor" | "limit">, locale: string) {
  const tickets: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTickets(ctx, principal, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    tickets.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && tickets.length < EXPORT_LIMIT);
  const truncated = tickets.length > EXPORT_LIMIT || cursor !== undefined;
  return { ...(await displayRows(ctx, tickets.slice(0, EXPORT_LIMIT), locale)), truncated };
}

/** Tickets as rows of display values (names, not ids; labels in the caller's language). */
export async function displayRows(ctx: AppContext, rows: Ticket[], locale: string) {
  const ids = (pick: (t: Ticket) => number | null) => [...new Set(rows.map(pick).filter((x): x is number => x !== null))];
  const [staff, customers, categories, departments] = await Promise.all([
    staffNames(
      ctx.db,
      ids((t) => t.assigneeId),
    ),
    customerNames(
      ctx.db,
      ids((t) => t.customerId),
    ),
    listCategories(ctx.db),
    listDepartments(ctx.db),
  ]);
  const l = labels[locale === "en" ? "en" : "zh-CN"];
  const name = (list: { id: number; name: string }[], id: number | null) =>
    id === null ? "" : (list.find((x) => x.id === id)?.name ?? "");
  return {
    head: l.head,
    rows: rows.map((t) => [
      t.number,
      t.subject,
      l.status[t.status] ?? t.status,
      l.priority[t.priority] ?? t.priority,
      t.channel,
      name(categories, t.categoryId),
      name(departments, t.departmentId),
      t.assigneeId === null ? "" : (staff.get(t.assigneeId) ?? ""),
      customers.get(t.customerId) ?? "",
      t.tags.join(", "),
      t.createdAt,
      t.updatedAt,
      t.solvedAt ?? "",
      t.slaDueAt ?? "",
    ]),
  };
}
