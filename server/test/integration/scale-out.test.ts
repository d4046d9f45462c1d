import { afterAll, describe, expect, inject, it } from "vitest";
import { type RunningServer, followStream, httpClient, spawnServer } from "../support/spawn-server";
import { openTestDatabase } from "../support/test-db";

/**
 * Several stateless processes on one PostgreSQL: two web-only processes serve requests (a
 * session made on one works on the other) and a separate worker-only process runs the jobs.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "scale@test.local", LOOPDESK_ADMIN_PASSWORD: "scale-test-pass" };
const running: RunningServer[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  for (const c of cleanups) await c();
});

describe("scale-out on PostgreSQL", () => {
  it("web and worker processes share sessions, tickets and jobs through the database", async () => {
    if (inject("engine") !== "postgres") return; // the embedded engine belongs to one process
    const db = await openTestDatabase();
    const url = db.url as string;
    await db.db.destroy();
    cleanups.push(() => db.close().catch(() => {}));
    const env = { ...ADMIN, DATABASE_URL: url, DATA_DIR: "/tmp/loopdesk-scale-out" };
    const webA = await spawnServer(env, { args: ["--role", "web"] });
    running.push(webA);
    const webB = await spawnServer(env, { args: ["--role", "web"] });
    running.push(webB);

    // A live stream on process B …
    const streamLogin = await fetch(`${webB.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ADMIN.LOOPDESK_ADMIN_EMAIL, password: ADMIN.LOOPDESK_ADMIN_PASSWORD }),
    });
    const streamCookie = (streamLogin.headers.get("set-cookie") ?? "").split(";")[0];
    const stream = await followStream((signal) => fetch(`${webB.url}/api/v1/stream`, { headers: { cookie: streamCookie }, signal }));
    await new Promise((r) => setTimeout(r, 300));

    const viaA = await httpClient(webA.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const created = await viaA("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({ subject: "多进程 扩展测试", customer: { email: "scale@example.cn" } }),
    });
    expect(created.status).toBe(201);
    const ticket = (await created.json()) as { id: number };

    // … hears of the ticket created on process A (PostgreSQL LISTEN/NOTIFY between processes).
    const until = Date.now() + 10_000;
    while (Date.now() < until && !stream.text().includes("ticket.created")) await new Promise((r) => setTimeout(r, 100));
    expect(stream.text()).toContain("event: ticket.created");
    expect(stream.text()).toContain(`"ticketId":${ticket.id}`);
    await stream.close();

    // A session made on one process works on the other.
    const login = await fetch(`${webA.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ADMIN.LOOPDESK_ADMIN_EMAIL, password: ADMIN.LOOPDESK_ADMIN_PASSWORD }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    const onB = await fetch(`${webB.url}/api/v1/tickets/${ticket.id}`, { headers: { cookie } });
    expect(onB.status).toBe(200);

    // Search reads its own writes: the new ticket is found on the other process at once, with no worker running.
    const found = (await (await fetch(`${webB.url}/api/v1/tickets?q=${encodeURIComponent("扩展")}`, { headers: { cookie } })).json()) as {
      items: { id: number; priorityScore: number }[];
    };
    expect(found.items.map((t) => t.id)).toEqual([ticket.id]);

    // No worker yet: the rescore after a priority change waits in the queue.
    const changed = await viaA(`/api/v1/tickets/${ticket.id}`, { method: "PATCH", body: JSON.stringify({ priority: "urgent" }) });
    expect(changed.status).toBe(200);
    const jobs = async () =>
      ((await (await viaA("/api/v1/system/jobs")).json()) as { items: { queue: string; status: string; count: number }[] }).items.filter(
        (s) => s.queue === "event:routing-score",
      );
    expect((await jobs()).find((s) => s.status === "queued")?.count).toBe(1);
    const worker = await spawnServer(env, { args: ["--role", "worker"], noHttp: true });
    running.push(worker);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await jobs()).some((s) => s.status === "completed")) await new Promise((r) => setTimeout(r, 300));
    expect((await jobs()).find((s) => s.status === "completed")?.count).toBe(1);
    const rescored = (await (await fetch(`${webB.url}/api/v1/tickets/${ticket.id}`, { headers: { cookie } })).json()) as {
      priorityScore: number;
    };
    expect(rescored.priorityScore).toBeGreaterThan(found.items[0]?.priorityScore as number);
  }, 120_000);
});
