import path from "node:path";
import os from "node:os";
import { sql } from "kysely";
import { createContext } from "../../server/src/app";
import { loadConfig } from "../../server/src/config";
import type { Database } from "../../server/src/db/database";
import { createCalendar } from "../../server/src/modules/sla/calendar-service";
import { createPolicy } from "../../server/src/modules/sla/policy-service";
import { recomputeTicketSla } from "../../server/src/modules/sla/recompute-ticket-sla";
import { createLogger } from "../../server/src/platform/logger";
import { round } from "./load";

/**
 * Issue 6's SLA figures on a loaded database: (1) the sweep finding every clock due for a warning,
 * a breach or an escalation step among all open tickets, from the stored due times; (2) recomputing due times after a
 * calendar change, in tickets per second.
 */
export async function benchSla(database: Database, opts: { recompute: number }) {
  const db = database.db;
  // A running clock for every ticket (the loaded data is mostly solved; the sweep does not care):
  // due times spread over the next month, about 1% already past.
  await sql`delete from ticket_sla`.execute(db);
  await sql`
    insert into ticket_sla (ticket_id, target, cycle_start, due_at, status, warn_at, escalate_at)
    select id, 'resolution', created_at, due, 'active', due - interval '15 minutes',
           case when due < now() then due + interval '30 minutes' end
    from (select id, created_at, now() - interval '7 hours' + random() * interval '30 days' as due
          from tickets) t`.execute(db);
  await sql`analyze ticket_sla`.execute(db);
  const open = Number((await sql<{ n: string }>`select count(*) as n from ticket_sla`.execute(db)).rows[0]?.n);

  const sweeps: number[] = [];
  let found = 0;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const breaching = await db
      .selectFrom("ticket_sla")
      .select("ticket_id")
      .where("status", "=", "active")
      .where("breached_at", "is", null)
      .where("due_at", "<=", new Date())
      .execute();
    const warning = await db
      .selectFrom("ticket_sla")
      .select("ticket_id")
      .where("status", "=", "active")
      .where("warn_at", "<=", new Date())
      .execute();
    const escalating = await db.selectFrom("ticket_sla").select("ticket_id").where("escalate_at", "<=", new Date()).execute();
    sweeps.push(performance.now() - t0);
    found = new Set([...breaching, ...warning, ...escalating].map((r) => r.ticket_id)).size;
  }
  sweeps.sort((a, b) => a - b);

  // A calendar change: tickets' clocks recomputed from their history (any status, to reach the count).
  const ctx = createContext(
    loadConfig({ DATA_DIR: path.join(os.tmpdir(), "loopdesk-bench-sla"), LOG_LEVEL: "silent" }),
    database,
    createLogger("silent"),
  );
  const calendar = await createCalendar(db, {
    name: "基准日历",
    timeZone: "Asia/Shanghai",
    chinaOfficial: true,
    weekly: [
      [],
      ...Array.from({ length: 5 }, () => [
        { start: "09:00", end: "12:00" },
        { start: "13:00", end: "18:00" },
      ]),
      [],
    ],
    holidays: [],
    workdays: [],
  });
  await createPolicy(db, {
    name: "基准策略",
    escalation: [],
    position: 0,
    active: true,
    conditions: {},
    firstResponseMinutes: 240,
    nextResponseMinutes: 480,
    resolutionMinutes: 1620,
    businessHours: true,
    calendarId: calendar.id,
    pauseOnPending: true,
    pauseOnHold: true,
    warnPercent: 75,
    warnMinutesBefore: 15,
  });
  const ids = (await db.selectFrom("tickets").select("id").orderBy("id").limit(opts.recompute).execute()).map((r) => r.id);
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 500) await db.transaction().execute((trx) => recomputeTicketSla(ctx, trx, ids.slice(i, i + 500)));
  const seconds = (performance.now() - t0) / 1000;
  return {
    openClocks: open,
    dueFound: found,
    sweepP50Ms: round(sweeps[Math.floor(sweeps.length / 2)] as number),
    sweepMaxMs: round(sweeps[sweeps.length - 1] as number),
    recomputed: ids.length,
    recomputePerSecond: round(ids.length / seconds),
  };
}
