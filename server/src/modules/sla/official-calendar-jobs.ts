import type { AppContext } from "../../platform/context";
import { type Executor, enqueue } from "../../platform/jobs/job-queue";
import { notifyStaff } from "../notifications/notification-service";
import { supervisorIdsFor } from "../staff/staff-service";
import { officialCalendar } from "./official-days";

const QUEUE = "sla.official-calendar-check";
const DAY_MS = 86_400_000;

/**
 * Once a day: when the official calendar lacks this year, or from December on next year, the
 * administrators hear of it in the bell (once per missing year) — before due times start treating
 * 元旦 and 春节 as working days. The admin console shows the same warning all along.
 */
export function registerOfficialCalendarJobs(ctx: AppContext) {
  ctx.jobs.define({
    queue: QUEUE,
    handler: async (_payload, { trx }) => {
      await checkOfficialCalendar(ctx, trx);
      const next = new Date(Date.now() + DAY_MS);
      await enqueue(trx, QUEUE, {}, { runAt: next, dedupeKey: `${QUEUE}:${next.toISOString().slice(0, 10)}` });
    },
  });
}

/** Tells the administrators about each missing year once (a settings row remembers it). */
export async function checkOfficialCalendar(ctx: AppContext, db: Executor, now = new Date()) {
  const { missingYears } = await officialCalendar(db, ctx.config.timeZone, now);
  for (const year of missingYears) {
    const marked = await db
      .insertInto("settings")
      .values({ key: `official-calendar-missing-notified:${year}`, value: JSON.stringify({ at: now.toISOString() }) })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    if (marked) await notifyStaff(ctx, db, await supervisorIdsFor(db, null), { type: "calendar_outdated", ticketId: null, data: { year } });
  }
  return missingYears;
}

/** Makes sure the daily check is scheduled (idempotent across restarts and processes). */
export async function scheduleOfficialCalendarCheck(db: Executor) {
  await enqueue(db, QUEUE, {}, { dedupeKey: `${QUEUE}:${new Date().toISOString().slice(0, 10)}` });
}
