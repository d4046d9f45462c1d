import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { createAutomation } from "../automations/automation-service";
import { createTrigger } from "../automations/trigger-service";
import { createRoutingRule } from "../routing/routing-rules-service";
import { saveRoutingSettings } from "../routing/routing-settings";
import { calendarsById, createCalendar } from "../sla/calendar-service";
import { createPolicy } from "../sla/policy-service";
import * as data from "./demo-data";
import type { DemoPolicy } from "./demo-sla";

/** After a breach: the assignee at once, the supervisors after 30 minutes. */
const ESCALATION = [
  { afterMinutes: 0, action: "notify_assignee" as const, staffId: null, departmentId: null },
  { afterMinutes: 30, action: "notify_supervisors" as const, staffId: null, departmentId: null },
];

/** A Shanghai working calendar with China's official holidays and the three SLA policies, for the tickets' clocks. */
export async function seedDemoSla(db: Transaction<DB>) {
  const calendar = await createCalendar(db, {
    name: "上海客服中心",
    timeZone: "Asia/Shanghai",
    chinaOfficial: true,
    weekly: [[], ...Array.from({ length: 5 }, () => data.workingHours), []],
    holidays: [],
    workdays: [],
  });
  const policies: DemoPolicy[] = [];
  for (const [position, p] of data.slaPolicies.entries()) {
    const saved = await createPolicy(db, {
      ...p,
      position,
      active: true,
      businessHours: true,
      calendarId: calendar.id,
      pauseOnPending: true,
      pauseOnHold: true,
      warnPercent: 75,
      warnMinutesBefore: 15,
      escalation: ESCALATION,
    });
    policies.push({
      id: saved.id,
      tiers: p.conditions.tiers,
      priorities: p.conditions.priorities,
      firstResponseMinutes: p.firstResponseMinutes,
      nextResponseMinutes: p.nextResponseMinutes,
      resolutionMinutes: p.resolutionMinutes,
      warnPercent: 75,
      warnMinutesBefore: 15,
      escalation: ESCALATION,
    });
  }
  const built = (await calendarsById(db, [calendar.id])).get(calendar.id);
  if (!built) throw new Error("demo calendar missing");
  return { calendar: built, policies };
}

/**
 * Routing as a team would set it up: VIP customers to the VIP desk (green channel), everything
 * else to its category's department team (no rule needed), the after-sales team as the default.
 */
export async function seedDemoRouting(db: Transaction<DB>, teams: Map<string, number>) {
  const vip = teams.get("VIP 专席");
  const afterSales = teams.get("售后一组");
  if (vip === undefined || afterSales === undefined) throw new Error("demo teams missing");
  await createRoutingRule(db, {
    name: "VIP 客户绿色通道",
    position: 10,
    active: true,
    conditions: { tiers: ["vip"] },
    teamId: vip,
    agentIds: [],
  });
  await saveRoutingSettings(db, { defaultTeamId: afterSales });
}

/** Shared canned replies and macros, a trigger and two time-based automations. */
export async function seedDemoRules(db: Transaction<DB>, categories: Map<string, { id: number }>) {
  for (const c of data.cannedReplies)
    await db
      .insertInto("canned_replies")
      .values({ owner_id: null, title: c.title, body: c.body, actions: JSON.stringify("actions" in c ? c.actions : {}) })
      .execute();
  await createTrigger(db, {
    name: "VIP 客户工单加急",
    position: 10,
    active: true,
    events: ["created"],
    conditions: {
      all: [
        { field: "customerTier", op: "is", value: "vip" },
        { field: "priority", op: "in", value: ["low", "normal"] },
      ],
      any: [],
    },
    actions: [
      { type: "set_priority", value: "high" },
      { type: "add_tags", tags: ["VIP"] },
    ],
  });
  await createTrigger(db, {
    name: "投诉工单通知主管",
    position: 20,
    active: true,
    events: ["created"],
    conditions: { all: [{ field: "categoryId", op: "is", value: categories.get("投诉建议")?.id ?? null }], any: [] },
    actions: [{ type: "raise_priority" }, { type: "notify_staff", to: ["supervisors"], message: "收到一条投诉，请关注处理进度。" }],
  });
  await createTrigger(db, {
    name: "VIP 解决后回访",
    position: 30,
    active: true,
    events: ["status_changed"],
    conditions: {
      all: [
        { field: "customerTier", op: "is", value: "vip" },
        { field: "status", op: "changed_to", value: "solved" },
      ],
      any: [],
    },
    actions: [{ type: "create_visit", reason: "VIP 客户解决后回访", dueHours: 48, departmentId: null }],
  });
  await createTrigger(db, {
    name: "差评回访",
    position: 40,
    active: true,
    events: ["csat_received"],
    conditions: { all: [{ field: "csat.rating", op: "lt", value: 3 }], any: [] },
    actions: [
      { type: "create_visit", reason: "客户差评回访：了解不满意的原因", dueHours: 24, departmentId: null },
      { type: "notify_staff", to: ["supervisors"], message: "客户给出了差评，已安排回访。" },
    ],
  });
  await createAutomation(db, {
    name: "等待客户 48 小时提醒",
    position: 10,
    active: true,
    status: "pending",
    hoursInStatus: 48,
    conditions: { all: [], any: [] },
    actions: [
      {
        type: "reply_customer",
        body: "{{customer.name}}您好，工单 #{{ticket.number}} 还在等待您的回复；如果问题已经解决，可以忽略这条消息。",
      },
    ],
  });
  await createAutomation(db, {
    name: "等待客户 7 天自动解决",
    position: 20,
    active: true,
    status: "pending",
    hoursInStatus: 168,
    conditions: { all: [], any: [] },
    actions: [
      { type: "set_status", value: "solved" },
      { type: "add_note", body: "客户 7 天未回复，已自动解决。" },
    ],
  });
}
