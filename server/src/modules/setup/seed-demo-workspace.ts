import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { createAutomation } from "../automations/automation-service";
import { createTrigger } from "../automations/trigger-service";
import { createCalendar } from "../sla/calendar-service";
import { createPolicy } from "../sla/policy-service";
import { recomputeOpenTickets } from "../sla/sla-jobs";
import * as data from "./demo-data";

/** Shared canned replies, a Shanghai working calendar with China's official holidays, three SLA policies with escalation, a trigger and two automations, and clocks for the open tickets. */
export async function seedDemoWorkspace(db: Transaction<DB>) {
  for (const c of data.cannedReplies)
    await db.insertInto("canned_replies").values({ owner_id: null, title: c.title, body: c.body }).execute();
  const calendar = await createCalendar(db, {
    name: "上海客服中心",
    timeZone: "Asia/Shanghai",
    chinaOfficial: true,
    weekly: [[], ...Array.from({ length: 5 }, () => data.workingHours), []],
    holidays: [],
    workdays: [],
  });
  for (const [position, p] of data.slaPolicies.entries())
    await createPolicy(db, {
      ...p,
      position,
      active: true,
      businessHours: true,
      calendarId: calendar.id,
      pauseOnPending: true,
      pauseOnHold: true,
      warnPercent: 75,
      warnMinutesBefore: 15,
      // After a breach: the assignee at once, the supervisors after 30 minutes.
      escalation: [
        { afterMinutes: 0, action: "notify_assignee", staffId: null, departmentId: null },
        { afterMinutes: 30, action: "notify_supervisors", staffId: null, departmentId: null },
      ],
    });
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
  // Seeding runs before the server serves anyone: no other process to wait for.
  await recomputeOpenTickets(db, { otherProcessesMayRun: false });
}
