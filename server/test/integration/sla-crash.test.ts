import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { httpClient, spawnServer } from "../support/spawn-server";
import { crashStorage } from "../support/crash-storage";

/**
 * Kills the server with SIGKILL while the SLA sweep is recording breaches, restarts it, and
 * checks that every breach was recorded, announced and notified exactly once.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "sweep@test.local", LOOPDESK_ADMIN_PASSWORD: "sweep-test-pass" };
const TICKETS = 1200;
const support = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../support");
const shiftClock = path.join(support, "shift-clock.mjs");
const killOnLog = path.join(support, "kill-on-log.mjs");
/** Two hours later: every ticket's 60-minute first response is overdue. */
const LATER = { LOOPDESK_TEST_CLOCK_OFFSET_MS: String(2 * 3_600_000) };
/** Forty-eight sweep transactions instead of three: the kill at the second or third lands mid-sweep. */
const SMALL_BATCHES = { LOOPDESK_SLA_SWEEP_BATCH: "25" };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("SLA sweep crash", () => {
  it("SIGKILL during a sweep loses and duplicates no breach, event or notification", async () => {
    const store = await crashStorage("loopdesk-sweep-", cleanups);
    // 1. Now: a 60-minute first-response policy and many unanswered tickets.
    const first = await spawnServer({ ...store.env, ...ADMIN });
    cleanups.push(() => first.stop("SIGKILL"));
    const api = await httpClient(first.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const policy = await api("/api/v1/sla-policies", {
      method: "POST",
      body: JSON.stringify({ name: "一小时响应", firstResponseMinutes: 60, businessHours: false, warnPercent: null }),
    });
    expect(policy.status).toBe(201);
    let n = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (n < TICKETS) {
          const i = n++;
          const res = await api("/api/v1/tickets", {
            method: "POST",
            body: JSON.stringify({ subject: `超时 ${i}`, description: "x", customer: { email: `c${i % 50}@sweep.test` } }),
          });
          expect(res.status).toBe(201);
        }
      }),
    );
    // The clocks are all set before the clock moves on (the policy's recompute and each ticket's
    // subscriber job): otherwise the restarted server records the breaches there, not in the sweep.
    // (Beside another test file on two busy cores this takes more than a minute.)
    const settleBy = Date.now() + 240_000;
    let pending: unknown[] = [];
    for (;;) {
      const { items } = (await (await api("/api/v1/system/jobs")).json()) as { items: { queue: string; status: string }[] };
      pending = items.filter((j) => j.status !== "completed" && (j.queue === "sla.recompute-open" || j.queue.startsWith("event:")));
      if (!pending.length || Date.now() > settleBy) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(pending, "every clock set before the clock moves on").toEqual([]);
    await first.stop("SIGTERM");

    // 2. Two hours later: the sweep records the breaches — and the process is killed in the middle:
    // it kills itself a moment after logging its second or third batch (kill-on-log.mjs), wherever
    // in the batch's transaction that lands.
    const killAt = {
      LOOPDESK_TEST_KILL_ON: "sla sweep batch",
      LOOPDESK_TEST_KILL_AT: String(2 + Math.floor(Math.random() * 2)),
      LOOPDESK_TEST_KILL_DELAY_MS: String(Math.floor(Math.random() * 20)),
    };
    const second = await spawnServer(
      { ...store.env, ...ADMIN, ...LATER, ...SMALL_BATCHES, ...killAt, LOG_LEVEL: "info" },
      { nodeArgs: ["--import", shiftClock, "--import", killOnLog], noHttp: true },
    );
    cleanups.push(() => second.stop("SIGKILL"));
    const exited = await new Promise<NodeJS.Signals | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 120_000);
      const done = () => {
        clearTimeout(timer);
        resolve(second.child.signalCode);
      };
      if (second.child.exitCode !== null || second.child.signalCode !== null) done();
      else second.child.once("exit", done);
    });
    expect(exited, `the sweep did not reach batch ${killAt.LOOPDESK_TEST_KILL_AT}:\n${second.output()}`).toBe("SIGKILL");

    const atKill = await store.open();
    const recordedAtKill = (
      await sql<{ n: number }>`select count(*)::int as n from ticket_events where type = 'sla_breached'`.execute(atKill.db)
    ).rows[0]?.n;
    await atKill.close();
    // The kill came while the sweep was working (each batch logs before it starts).
    expect(recordedAtKill).toBeLessThan(TICKETS);

    // 3. Restart, still two hours later: the sweep finishes.
    const third = await spawnServer({ ...store.env, ...ADMIN, ...LATER, ...SMALL_BATCHES }, { nodeArgs: ["--import", shiftClock] });
    cleanups.push(() => third.stop("SIGKILL"));
    const api3 = await httpClient(third.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    // A burst of breaches reaches the administrator as a few notices and one digest counting the rest.
    type Bell = { items: { type: string; data: { count?: number } }[] };
    const told = (bell: Bell) =>
      bell.items.reduce((n, x) => n + (x.type === "sla_breached" ? 1 : x.type === "sla_digest" ? (x.data.count ?? 0) : 0), 0);
    const deadline = Date.now() + 120_000;
    let heard = 0;
    while (heard < TICKETS && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      heard = told((await (await api3("/api/v1/notifications")).json()) as Bell);
    }
    expect(heard).toBe(TICKETS);
    await new Promise((r) => setTimeout(r, 1000));
    await third.stop("SIGTERM");

    const db = await store.open();
    cleanups.push(() => db.close().catch(() => {}));
    const perTicket = async (query: ReturnType<typeof sql<{ ticket_id: number; n: number }>>) => (await query.execute(db.db)).rows;
    const breaches = await perTicket(sql`select ticket_id, count(*)::int as n from ticket_events where type = 'sla_breached' group by 1`);
    expect(breaches).toHaveLength(TICKETS);
    expect(breaches.every((b) => b.n === 1)).toBe(true);
    const announced = await perTicket(
      sql`select aggregate_id as ticket_id, count(*)::int as n from domain_events where type = 'ticket.sla_breached' group by 1`,
    );
    expect(announced).toHaveLength(TICKETS);
    expect(announced.every((b) => b.n === 1)).toBe(true);
    // Each breach was told once: as its own notice, or counted once in the digest (a killed batch counted nothing).
    const notified = await perTicket(sql`select ticket_id, count(*)::int as n from notifications where type = 'sla_breached' group by 1`);
    expect(notified.every((b) => b.n === 1)).toBe(true);
    const digested = (
      await sql<{
        n: number;
      }>`select coalesce(sum((data->>'count')::int), 0)::int as n from notifications where type = 'sla_digest'`.execute(db.db)
    ).rows[0]?.n;
    expect(notified.length + (digested ?? 0)).toBe(TICKETS);
    // Shows where the kill hit (a sweep batch is one transaction: its breaches commit all or none).
    console.info(`breaches recorded before the kill: ${recordedAtKill} of ${TICKETS}`);
  }, 480_000);
});
