import fs from "node:fs";
import path from "node:path";
import { type EventNames, type TicketEvent, ticketEventTypes } from "@loopdesk/contracts/tickets";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { eventText } from "../src/features/tickets/event-text";

const dir = path.resolve(__dirname, "../src/locales");
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Record<string, unknown>;

/** A translator that records every key it had no text for. */
async function translator(lng: "zh-CN" | "en") {
  const missing: string[] = [];
  const t = i18next.createInstance();
  await t.init({
    lng,
    resources: { "zh-CN": { translation: load("zh-CN.json") }, en: { translation: load("en.json") } },
    interpolation: { escapeValue: false },
    saveMissing: true,
    missingKeyHandler: (_lngs, _ns, key) => missing.push(key),
  });
  return { t: t.t.bind(t), missing };
}

// Ids no text may show: each is distinctive, so it cannot appear by accident in a date or a count.
const STAFF = 910_001;
const OTHER_STAFF = 910_002;
const GONE_STAFF = 910_009;
const CUSTOMER = 920_001;
const OTHER_CUSTOMER = 920_002;
const DEPARTMENT = 930_001;
const OTHER_DEPARTMENT = 930_002;
const TEAM = 940_001;
const CATEGORY = 950_001;
const OTHER_CATEGORY = 950_002;
const IDS = [STAFF, OTHER_STAFF, GONE_STAFF, CUSTOMER, OTHER_CUSTOMER, DEPARTMENT, OTHER_DEPARTMENT, TEAM, CATEGORY, OTHER_CATEGORY];

const names: EventNames = {
  staff: { [STAFF]: "李娜", [OTHER_STAFF]: "孙强" },
  customers: { [CUSTOMER]: "王小明", [OTHER_CUSTOMER]: "王晓明" },
  departments: { [DEPARTMENT]: "售后服务", [OTHER_DEPARTMENT]: "财务" },
  teams: { [TEAM]: "财务组" },
  categories: { [CATEGORY]: "退换货", [OTHER_CATEGORY]: "发票" },
};

let seq = 0;
const event = (type: string, extra: Partial<TicketEvent> = {}): TicketEvent => ({
  id: ++seq,
  ticketId: 1,
  type,
  actorType: "staff",
  actorId: STAFF,
  actorName: "李娜",
  field: null,
  before: null,
  after: null,
  data: null,
  createdAt: "2026-12-04T02:00:00.000Z",
  ...extra,
});

/** One of every history entry, as the server records it, with ids wherever the real one has them. */
const samples: TicketEvent[] = [
  event("created", { after: { status: "new", priority: "normal", channel: "phone", categoryId: CATEGORY, departmentId: DEPARTMENT } }),
  event("status_changed", { field: "status", before: "open", after: "pending" }),
  event("field_changed", { field: "departmentId", before: DEPARTMENT, after: OTHER_DEPARTMENT }),
  event("field_changed", { field: "categoryId", before: CATEGORY, after: OTHER_CATEGORY }),
  event("field_changed", { field: "teamId", before: null, after: TEAM }),
  event("field_changed", { field: "priority", before: "normal", after: "urgent" }),
  event("field_changed", { field: "subject", before: "旧主题", after: "新主题" }),
  event("field_changed", { field: "tags", before: [], after: ["VIP", "加急"] }),
  event("field_changed", { field: "customFields.order_no", before: null, after: "DD20261234" }),
  event("assigned", { field: "assigneeId", before: null, after: OTHER_STAFF, actorType: "system", actorId: null, actorName: null }),
  event("assigned", { field: "assigneeId", before: STAFF, after: GONE_STAFF, data: { via: { kind: "routing", name: "assigned" } } }),
  event("unassigned", { field: "assigneeId", before: OTHER_STAFF, after: null }),
  event("transferred", {
    before: { departmentId: DEPARTMENT, teamId: null, assigneeId: STAFF },
    after: { departmentId: OTHER_DEPARTMENT, teamId: TEAM, assigneeId: null },
    data: { reason: "需要财务开票" },
  }),
  event("first_response", { data: { messageId: 3 } }),
  event("message_added", { data: { messageId: 3, visibility: "internal" } }),
  event("follow_up_created", { actorType: "system", actorId: null, actorName: null, data: { ticketId: 77, number: 12345 } }),
  event("sla_warning", { field: "first_response", actorType: "system", actorId: null, actorName: null }),
  event("sla_breached", { field: "resolution", actorType: "system", actorId: null, actorName: null }),
  event("escalated", { field: "resolution", data: { step: 2, action: "notify_supervisors", afterMinutes: 30 } }),
  event("trigger_fired", { actorType: "system", actorId: null, actorName: null, data: { triggerId: 5, name: "VIP 加急" } }),
  event("automation_fired", { actorType: "system", actorId: null, actorName: null, data: { name: "48 小时提醒" } }),
  event("trigger_limit_reached", { actorType: "system", actorId: null, actorName: null }),
  event("email_sent", { actorType: "system", actorId: null, actorName: null, data: { to: "a@b.cn", subject: "您的工单已处理" } }),
  event("csat_received", {
    actorType: "customer",
    actorId: CUSTOMER,
    actorName: "王小明",
    data: { rating: 4, comment: null, via: "link" },
  }),
  event("csat_received", {
    actorType: "customer",
    actorId: CUSTOMER,
    actorName: "王小明",
    data: { rating: 2, comment: "太慢", via: "portal" },
  }),
  event("resolution_sent", { actorType: "system", actorId: null, actorName: null }),
  event("visit_created", { data: { visitId: 1, reason: "VIP 客户回访" } }),
  event("visit_completed", {}),
  event("call_logged", { data: { direction: "inbound", number: "13800001111", seconds: 125, answered: true } }),
  event("call_logged", { data: { direction: "outbound", number: "13800001111", answered: false } }),
  event("customer_merged", { field: "customerId", before: OTHER_CUSTOMER, after: CUSTOMER }),
  event("duplicate_detected", { actorType: "system", actorId: null, actorName: null, data: { ticketId: 5, number: 12001, score: 0.9 } }),
  event("duplicate_linked", { actorType: "system", actorId: null, actorName: null, data: { ticketId: 6, number: 12002 } }),
  event("duplicate_cleared", { data: { ticketId: 5 } }),
  event("merged_into", { data: { ticketId: 6, number: 12003 } }),
  event("merged_from", { data: { ticketId: 7, number: 12004 } }),
  event("info_missing", { actorType: "system", actorId: null, actorName: null, data: { fields: ["order_no"] } }),
  event("info_requested", { actorType: "system", actorId: null, actorName: null, data: { fields: ["order_no", "device_model"] } }),
  event("info_completed", { actorType: "customer", actorId: CUSTOMER, actorName: "王小明", data: { fields: ["order_no"] } }),
  event("urged", { actorType: "customer", actorId: CUSTOMER, actorName: "王小明", after: 2, data: { note: "很急" } }),
  event("urged", { after: 1 }),
  event("process_started", { data: { name: "跨境退换货", instanceId: 1, version: 1 } }),
  event("process_step_started", { actorType: "system", actorId: null, actorName: null, data: { name: "仓库收货", assigneeId: null } }),
  event("process_step_started", {
    actorType: "system",
    actorId: null,
    actorName: null,
    data: { name: "售后审核", assigneeId: OTHER_STAFF },
  }),
  event("process_step_started", {
    actorType: "system",
    actorId: null,
    actorName: null,
    data: { name: "受理", departmentId: DEPARTMENT, reason: "no_assignee" },
  }),
  event("process_step_started", {
    actorType: "system",
    actorId: null,
    actorName: null,
    data: { name: "财务复核", departmentId: DEPARTMENT, reason: "owner_missing" },
  }),
  event("process_step_started", {
    actorType: "system",
    actorId: null,
    actorName: null,
    data: { name: "质检会签", departmentId: DEPARTMENT, assigneeId: null, role: "supervisor", level: 1 },
  }),
  event("process_step_started", {
    actorType: "system",
    actorId: null,
    actorName: null,
    data: { name: "退款审批", assigneeId: OTHER_STAFF, level: 2 },
  }),
  event("process_step_started", {
    actorType: "system",
    actorId: null,
    actorName: null,
    data: { name: "客户验收", assigneeId: null, departmentId: null, customer: true },
  }),
  event("process_step_completed", { data: { name: "售后审核" } }),
  event("process_step_approved", { data: { name: "退款审批", level: 1 } }),
  event("process_step_rejected", { data: { name: "退款审批", reason: "金额不符" } }),
  event("process_step_returned", { actorType: "system", actorId: null, actorName: null, data: { name: "售后审核", reason: "金额不符" } }),
  event("process_step_reassigned", { data: { name: "财务退款", assigneeId: OTHER_STAFF, reason: "休假" } }),
  event("process_step_reassigned", { data: { name: "仓库收货", taskId: 9, assigneeId: STAFF } }),
  event("process_step_escalated", {
    actorType: "system",
    actorId: null,
    actorName: null,
    data: { name: "财务退款", assigneeId: OTHER_STAFF },
  }),
  event("process_completed", { actorType: "system", actorId: null, actorName: null, data: { name: "跨境退换货" } }),
  event("process_rejected", { actorType: "system", actorId: null, actorName: null, data: { name: "跨境退换货" } }),
  event("process_cancelled", { data: { name: "跨境退换货", reason: "客户撤回" } }),
  event("process_progress_sent", { actorType: "system", actorId: null, actorName: null, data: { name: "售后审核" } }),
  event("process_migrated", { data: { name: "跨境退换货", version: 2 } }),
  event("category_classified", { data: { categoryId: CATEGORY, confidence: 0.91, applied: true } }),
  event("category_classified", { data: { categoryId: CATEGORY, confidence: 0.42, applied: false } }),
];
const fieldLabel = (key: string) => ({ order_no: "订单号", device_model: "设备型号" })[key] ?? "（未知字段）";

describe("ticket history texts", () => {
  it("cover every kind of history entry", () => {
    expect(new Set(samples.map((e) => e.type))).toEqual(new Set(ticketEventTypes));
  });

  for (const lng of ["zh-CN", "en"] as const)
    it(`read in names and words in ${lng}: no raw id, no untranslated key, no empty placeholder`, async () => {
      const { t, missing } = await translator(lng);
      for (const e of samples) {
        const text = eventText(t, e, names, fieldLabel);
        const where = `${e.type} ${e.field ?? ""}: ${text}`;
        for (const id of IDS) expect(text, where).not.toContain(String(id));
        expect(text, where).not.toMatch(/event\.|field\.|status\.|priority\.|channel\.|process\.|\{\{|undefined|null|\[object/);
        // Codes the server records are shown in words.
        expect(text, where).not.toMatch(/no_assignee|owner_missing/);
        // A text that fell back to the bare type is untranslated.
        expect(text.trim(), where).not.toBe(e.type);
        if (lng === "zh-CN") expect(text, where).not.toMatch(/\b(urged|transferred|assigned|staff|system|customer)\b/);
      }
      expect(missing).toEqual([]);
    });

  it("name who moved a ticket where, and why", async () => {
    const { t } = await translator("zh-CN");
    const transfer = samples.find((e) => e.type === "transferred") as TicketEvent;
    expect(eventText(t, transfer, names, fieldLabel)).toBe("李娜 转派了工单：售后服务 · 李娜 → 财务 · 财务组，原因：需要财务开票");
    const moved = samples.find((e) => e.field === "departmentId") as TicketEvent;
    expect(eventText(t, moved, names, fieldLabel)).toBe("李娜 将部门从「售后服务」改为「财务」");
    const gone = samples.find((e) => e.after === GONE_STAFF) as TicketEvent;
    expect(eventText(t, gone, names, fieldLabel)).toBe("李娜 将工单分派给 （已删除的员工）（自动分配）");
    const rated = samples.filter((e) => e.type === "csat_received");
    expect(rated.map((e) => eventText(t, e, names, fieldLabel))).toEqual([
      "客户评价：4 星（通过评价链接）",
      "客户评价：2 星（在客户门户），留言：太慢",
    ]);
    // A countersigned approval asks each role for its signature: the history says whose it awaits, and at which level after the first.
    const countersign = samples.find((e) => e.type === "process_step_started" && (e.data as { role?: string })?.role) as TicketEvent;
    expect(eventText(t, countersign, names, fieldLabel)).toBe("「质检会签」等待 售后服务的主管 审批");
    const secondLevel = samples.find(
      (e) => e.type === "process_step_started" && (e.data as { level?: number })?.level === 2,
    ) as TicketEvent;
    expect(eventText(t, secondLevel, names, fieldLabel)).toBe("「退款审批」第 2 级：等待 孙强 审批");
    // A step the customer does waits for them, not for a pool of staff.
    const signOff = samples.find((e) => e.type === "process_step_started" && e.data?.customer === true) as TicketEvent;
    expect(eventText(t, signOff, names, fieldLabel)).toBe("「客户验收」开始，等待客户确认");
    // Taking a step from the pool is handing it to oneself: it reads as taking it.
    const claim = samples.find((e) => e.type === "process_step_reassigned" && e.data?.assigneeId === STAFF) as TicketEvent;
    expect(eventText(t, claim, names, fieldLabel)).toBe("李娜 领取了「仓库收货」");
    // So does a ticket claimed from the offers (抢单): the agent's act, not routing's.
    const claimedTicket = event("assigned", {
      field: "assigneeId",
      after: STAFF,
      data: { via: { kind: "routing", id: 0, name: "claimed" } },
    });
    expect(eventText(t, claimedTicket, names, fieldLabel)).toBe("李娜 抢单接手了工单");
    const urge = samples.find((e) => e.type === "urged") as TicketEvent;
    expect(eventText(t, urge, names, fieldLabel)).toBe("王小明 催办了工单（第 2 次），留言：很急");
  });
});
