import { afterAll, describe, expect, it } from "vitest";
import { httpClient, spawnServer } from "../support/spawn-server";
import { crashStorage } from "../support/crash-storage";

/**
 * Kills the server with SIGKILL while process steps are being completed, restarts it, and checks
 * that every acknowledged completion survived and that no instance is left half-way: the steps an
 * instance waits on are exactly its active tasks, and each completion is in the history once.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "crash-process@test.local", LOOPDESK_ADMIN_PASSWORD: "crash-process-pass" };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("process crash durability", () => {
  it("SIGKILL during step completions loses no acknowledged completion and leaves no half state", async () => {
    const store = await crashStorage("loopdesk-process-crash-", cleanups);
    const server = await spawnServer({ ...store.env, ...ADMIN, LOOPDESK_DEMO: "false" });
    cleanups.push(() => server.stop("SIGKILL"));
    const api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const call = async (p: string, method: string, body?: unknown) => {
      const res = await api(p, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const dept = await call("/api/v1/departments", "POST", { name: "仓库" });
    const owner = { type: "department", departmentId: dept.id };
    const steps = ["a", "b", "c"];
    const def = await call("/api/v1/processes", "POST", {
      key: "crash_chain",
      name: "三步",
      graph: {
        nodes: [{ id: "s", type: "start" }, ...steps.map((id) => ({ id, type: "task", name: id, owner })), { id: "e", type: "end" }],
        edges: ["s", ...steps].map((from, i) => ({ id: `e${i}`, source: from, target: [...steps, "e"][i] })),
      },
    });
    await call(`/api/v1/processes/${def.id}/publish`, "POST", {});
    for (let i = 0; i < 40; i++) {
      const ticket = await call("/api/v1/tickets", "POST", {
        subject: `流程崩溃 ${i}`,
        description: "x",
        customer: { email: `p${i}@crash.test` },
      });
      await call(`/api/v1/tickets/${ticket.id}/processes`, "POST", { processKey: "crash_chain" });
    }

    const acknowledged: number[] = [];
    let stop = false;
    const worker = async (w: number) => {
      while (!stop) {
        try {
          const tasks = (await (await api("/api/v1/tasks?scope=all")).json()) as { items: { id: number }[] };
          const task = tasks.items[(w * 7) % Math.max(1, tasks.items.length)];
          if (!task) return;
          const res = await api(`/api/v1/tasks/${task.id}/complete`, { method: "POST", body: JSON.stringify({ values: {} }) });
          if (res.status === 200) acknowledged.push(task.id);
        } catch {
          return; // connection cut by the kill
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    while (acknowledged.length < 50) await new Promise((r) => setTimeout(r, 20));
    server.child.kill("SIGKILL");
    stop = true;
    await Promise.all(workers);
    if (server.child.exitCode === null && server.child.signalCode === null) await new Promise((r) => server.child.once("exit", r));
    expect(server.child.signalCode).toBe("SIGKILL");

    // Restart (recovery runs), then read the database directly.
    const again = await spawnServer({ ...store.env, ...ADMIN, LOOPDESK_DEMO: "false" });
    await again.stop("SIGTERM");
    const db = await store.open();
    cleanups.push(() => db.close().catch(() => {}));
    const done = await db.db.selectFrom("process_tasks").select(["id", "status"]).where("id", "in", acknowledged).execute();
    expect(done).toHaveLength(new Set(acknowledged).size);
    expect(done.every((t) => t.status === "done")).toBe(true);

    const instances = await db.db.selectFrom("process_instances").select(["id", "state", "status"]).execute();
    const tasks = await db.db.selectFrom("process_tasks").select(["id", "instance_id", "node_id", "status"]).execute();
    for (const i of instances) {
      const active = tasks.filter((t) => t.instance_id === i.id && t.status === "active").map((t) => t.node_id);
      expect(active.sort(), `instance ${i.id}`).toEqual([...i.state.active].sort());
      const finished = tasks.filter((t) => t.instance_id === i.id && t.status === "done").length;
      // A chain: as many steps started as finished, plus the one it waits on (none once it ended).
      const started = tasks.filter((t) => t.instance_id === i.id).length;
      expect(started, `instance ${i.id}`).toBe(finished + (i.status === "completed" ? 0 : 1));
      expect(i.status === "completed").toBe(finished === 3);
    }
    const completions = await db.db.selectFrom("ticket_events").select(["data"]).where("type", "=", "process_step_completed").execute();
    const byTask = new Map<number, number>();
    for (const e of completions) {
      const id = (e.data as { taskId: number }).taskId;
      byTask.set(id, (byTask.get(id) ?? 0) + 1);
    }
    const doneIds = tasks.filter((t) => t.status === "done").map((t) => t.id);
    expect(doneIds.every((id) => byTask.get(id) === 1)).toBe(true);
    expect(byTask.size).toBe(doneIds.length);
  }, 180_000);
});
