import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { httpClient, spawnServer } from "../support/spawn-server";
import { crashStorage } from "../support/crash-storage";

/**
 * Kills the server with SIGKILL while tickets are being created, restarts it, and checks that
 * every acknowledged ticket and its events survived and that each event reached its subscriber
 * exactly once.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "crash@test.local", LOOPDESK_ADMIN_PASSWORD: "crash-test-pass" };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("crash durability", () => {
  it("SIGKILL during ticket creation loses no acknowledged ticket or event, shared transactions included, and each event is processed once", async () => {
    const store = await crashStorage("loopdesk-crash-", cleanups);
    const server = await spawnServer({ ...store.env, ...ADMIN });
    cleanups.push(() => server.stop("SIGKILL"));
    const api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);

    // Assigned on creation, each ticket's event has a subscriber's job (the assignee's notification).
    const me = ((await (await api("/api/v1/me")).json()) as { user: { id: number } }).user;
    const acknowledged: { id: number; key: string }[] = [];
    let stop = false;
    let n = 0;
    const writer = async (w: number) => {
      while (!stop) {
        const key = `crash-${w}-${n++}`;
        try {
          const res = await api("/api/v1/tickets", {
            method: "POST",
            // Half the writers send no key: their creations share transactions (creation-queue.ts).
            headers: w % 2 ? {} : { "idempotency-key": key },
            body: JSON.stringify({
              subject: `崩溃测试 ${key}`,
              description: "SIGKILL 之前创建",
              customer: { email: `c${w}@crash.test` },
              assigneeId: me.id,
            }),
          });
          if (res.status === 201) acknowledged.push({ id: ((await res.json()) as { id: number }).id, key });
        } catch {
          return; // connection cut by the kill
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
    server.child.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);
    if (server.child.exitCode === null && server.child.signalCode === null) await new Promise((r) => server.child.once("exit", r));
    expect(server.child.signalCode).toBe("SIGKILL");

    // Restart: the worker finishes whatever the killed process left, and nothing is redone.
    const again = await spawnServer({ ...store.env, ...ADMIN });
    const api2 = await httpClient(again.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const deadline = Date.now() + 90_000;
    let pending = Number.POSITIVE_INFINITY;
    while (pending > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const stats = (await (await api2("/api/v1/system/jobs")).json()) as { items: { queue: string; status: string; count: number }[] };
      pending = stats.items.filter((s) => s.queue.startsWith("event:") && s.status !== "completed").reduce((a, s) => a + s.count, 0);
    }
    expect(pending).toBe(0);
    await again.stop("SIGTERM");

    const db = await store.open();
    cleanups.push(() => db.close().catch(() => {}));
    const ids = acknowledged.map((a) => a.id);
    const tickets = await db.db.selectFrom("tickets").select(["id", "subject"]).where("id", "in", ids).execute();
    expect(tickets).toHaveLength(ids.length);
    const created = await db.db
      .selectFrom("ticket_events")
      .select("ticket_id")
      .where("type", "=", "created")
      .where("ticket_id", "in", ids)
      .execute();
    expect(new Set(created.map((e) => e.ticket_id)).size).toBe(ids.length);
    expect(created).toHaveLength(ids.length);
    const events = await db.db
      .selectFrom("domain_events")
      .select(["id", "aggregate_id"])
      .where("type", "=", "ticket.created")
      .where("aggregate_id", "in", ids)
      .execute();
    expect(events).toHaveLength(ids.length);
    // Each event's subscriber jobs ran exactly once, and every one finished.
    const jobs = await sql<{ queue: string; event_id: string; status: string; n: number }>`
      select queue, payload->'event'->>'id' as event_id, status, count(*)::int as n from jobs
      where queue like 'event:%' and (payload->'event'->>'aggregateId')::int = any(${ids}::int[])
        and payload->'event'->>'type' = 'ticket.created'
      group by 1, 2, 3`.execute(db.db);
    expect(new Set(jobs.rows.filter((j) => j.queue === "event:notify-staff").map((j) => j.event_id)).size).toBe(ids.length);
    expect(jobs.rows.every((j) => j.status === "completed" && j.n === 1)).toBe(true);
    // The search document was written with the ticket: every acknowledged ticket is searchable.
    const indexed = await db.db.selectFrom("ticket_search").select("ticket_id").where("ticket_id", "in", ids).execute();
    expect(indexed).toHaveLength(ids.length);
  }, 150_000);
});
