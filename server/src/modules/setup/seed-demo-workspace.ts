import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { createCalendar } from "../sla/calendar-service";
import { createPolicy } from "../sla/policy-service";
import { recomputeOpenTickets } from "../sla/sla-jobs";
import * as data from "./demo-data";

/** Shared canned replies, a Shanghai working calendar with China's official holidays, three SLA policies, and clocks for the open tickets. */
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
      // After a breach: supervisors after 30 minutes, then one priority level up after 2 hours.
      escalation: [
        { afterMinutes: 0, action: "notify_assignee", staffId: null, departmentId: null },
        { afterMinutes: 30, action: "notify_supervisors", staffId: null, departmentId: null },
        { afterMinutes: 120, action: "raise_priority", staffId: null, departmentId: null },
      ],
    });
  // Seeding runs before the server serves anyone: no other process to wait for.
  await recomputeOpenTickets(db, { otherProcessesMayRun: false });
}
