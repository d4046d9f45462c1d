import { sql } from "kysely";
import { afterAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "../../src/platform/auth/passwords";
import { type RunningServer, httpClient, spawnServer } from "../support/spawn-server";
import { openTestDatabase } from "../support/test-db";

/**
 * Exactly once, with several processes: two full server processes on one PostgreSQL; 10,000
 * tickets created concurrently through both while agents claim offered tickets through both and
 * go on and off line. Every ticket must end with exactly one assignee, nobody above capacity, and
 * one winning decision per routing round in the log, its winner the ticket's assignee.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "route-admin@test.local", LOOPDESK_ADMIN_PASSWORD: "route-admin-pass" };
const TICKETS = Number(process.env.LOOPDESK_ROUTING_TEST_TICKETS ?? 10_000);
const AUTO_AGENTS = 16;
const CLAIM_AGENTS = 4;
const PASSWORD = "agent-pass-123";
const running: RunningServer[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  for (const c of cleanups) await c();
});

async function pool<T>(items: T[], width: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}

describe("routing exactly once on PostgreSQL", () => {
  it(`${TICKETS} concurrent tickets through two processes: one assignee each, capacity held, one winner per round`, {
    timeout: 600_000,
  }, async () => {
    if (inject("engine") !== "postgres") return; // the embedded engine belongs to one process
    const database = await openTestDatabase();
    const db = database.db;
    cleanups.push(() => database.close().catch(() => {}));
    const env = { ...ADMIN, DATABASE_URL: database.url as string, DATA_DIR: "/tmp/loopdesk-routing-concurrency" };
    const [p1, p2] = [await spawnServer(env), await spawnServer(env)];
    running.push(p1, p2);
    const admins = [
      await httpClient(p1.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD),
      await httpClient(p2.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD),
    ];
    const api = async (i: number, path: string, method: string, body?: unknown) => {
      const res = await (admins[i % 2] as (typeof admins)[0])(path, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? null : res.json();
    };

    // Agents (written directly: invitations and passwords are not what this test is about).
    const dept = await api(0, "/api/v1/departments", "POST", { name: "并发部" });
    const hash = await hashPassword(PASSWORD);
    const staff = await db
      .insertInto("staff")
      .values(
        Array.from({ length: AUTO_AGENTS + CLAIM_AGENTS }, (_, i) => ({
          email: `agent${i}@route.test`,
          name: `坐席${i}`,
          role: "agent" as const,
          password_hash: hash,
        })),
      )
      .returning("id")
      .execute();
    const ids = staff.map((s) => s.id);
    const autoIds = ids.slice(0, AUTO_AGENTS);
    const claimIds = ids.slice(AUTO_AGENTS);
    const capacity = Math.ceil((TICKETS * 0.8) / AUTO_AGENTS) + 20;
    for (const id of autoIds) await api(id, `/api/v1/routing/agents/${id}`, "PATCH", { capacity });
    for (const id of claimIds) await api(id, `/api/v1/routing/agents/${id}`, "PATCH", { capacity: 1000 });
    const auto = await api(0, "/api/v1/teams", "POST", { name: "自动组", departmentId: dept.id, memberIds: autoIds });
    const claim = await api(1, "/api/v1/teams", "POST", { name: "抢单组", departmentId: dept.id, memberIds: claimIds });
    await api(0, `/api/v1/routing/teams/${auto.id}`, "PATCH", { strategy: "least_loaded" });
    await api(1, `/api/v1/routing/teams/${claim.id}`, "PATCH", { strategy: "claim", claimTimeoutMinutes: 30 });
    await api(0, "/api/v1/routing/rules", "POST", { name: "电话抢单", conditions: { channels: ["phone"] }, teamId: claim.id });
    await api(1, "/api/v1/routing/settings", "PATCH", { defaultTeamId: auto.id });
    const agents = await Promise.all(ids.map((_id, i) => httpClient(i % 2 ? p2.url : p1.url, `agent${i}@route.test`, PASSWORD)));
    const setPresence = (i: number, presence: string) =>
      (agents[i] as (typeof agents)[0])("/api/v1/routing/me/presence", { method: "PUT", body: JSON.stringify({ presence }) });
    // Half the automatic agents start online, all claimers.
    for (let i = 0; i < ids.length; i++) if (i >= AUTO_AGENTS || i % 2 === 0) await setPresence(i, "online");

    // Claimers race for offers through both processes while tickets arrive and agents come and go.
    let creating = true;
    const claims = { won: 0, lost: 0, other: 0 };
    const claimers = claimIds.map(async (_, k) => {
      const me = agents[AUTO_AGENTS + k] as (typeof agents)[0];
      while (creating) {
        const offers = ((await (await me("/api/v1/routing/offers")).json()) as { items: { ticketId: number }[] }).items;
        for (const o of offers.slice(0, 5)) {
          const res = await me(`/api/v1/tickets/${o.ticketId}/claim`, { method: "POST", body: "{}" });
          if (res.status === 200) claims.won++;
          else if (res.status === 409) claims.lost++;
          else if (++claims.other === 1) console.log("claim failed", res.status, await res.text());
        }
        if (offers.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
    });
    const flapping = (async () => {
      for (let round = 0; creating; round++) {
        const i = (round * 3) % AUTO_AGENTS;
        await setPresence(i, round % 2 ? "online" : "offline");
        await new Promise((r) => setTimeout(r, 150));
      }
    })();

    const started = Date.now();
    await pool(
      Array.from({ length: TICKETS }, (_, i) => i),
      24,
      async (i) => {
        await api(i, "/api/v1/tickets", "POST", {
          subject: `并发工单 ${i}`,
          // One customer per ticket: the same customer sending near-identical requests would (rightly)
          // be linked as duplicates, which are not routed on their own.
          customer: { email: `c${i}@route.test` },
          channel: i % 5 === 0 ? "phone" : "api",
        });
      },
    );
    const createdMs = Date.now() - started;
    creating = false;
    await flapping;
    await Promise.all(claimers);
    // Everyone online now: whatever still waits is assigned; a claim offer nobody took times out only after 30 min,
    // so the claimers take what is left.
    for (let i = 0; i < ids.length; i++) await setPresence(i, "online");
    const deadline = Date.now() + 300_000;
    for (;;) {
      const left = await db
        .selectFrom("tickets")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("assignee_id", "is", null)
        .executeTakeFirstOrThrow();
      if (Number(left.n) === 0 || Date.now() > deadline) break;
      for (let k = 0; k < CLAIM_AGENTS; k++) {
        const me = agents[AUTO_AGENTS + k] as (typeof agents)[0];
        const offers = ((await (await me("/api/v1/routing/offers")).json()) as { items: { ticketId: number }[] }).items;
        for (const o of offers) {
          const res = await me(`/api/v1/tickets/${o.ticketId}/claim`, { method: "POST", body: "{}" });
          if (res.status === 200) claims.won++;
          else if (res.status === 409) claims.lost++;
          else claims.other++;
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const settledMs = Date.now() - started;
    console.log(JSON.stringify({ tickets: TICKETS, createdMs, settledMs, claims }));

    // Exactly one assignee each.
    const unassigned = await db.selectFrom("tickets").select("id").where("assignee_id", "is", null).execute();
    expect(unassigned).toEqual([]);
    expect(
      Number(
        (
          await db
            .selectFrom("tickets")
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(TICKETS);
    // Nobody above capacity.
    const loads = await db
      .selectFrom("tickets")
      .innerJoin("agent_states", "agent_states.staff_id", "tickets.assignee_id")
      .select(["tickets.assignee_id", "agent_states.capacity"])
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("tickets.status", "not in", ["solved", "closed"])
      .groupBy(["tickets.assignee_id", "agent_states.capacity"])
      .execute();
    for (const l of loads) expect(Number(l.n)).toBeLessThanOrEqual(l.capacity);
    // One winning decision per round, and the last winner is the ticket's assignee.
    const { rows: dupes } = await sql<{ n: number }>`
      select count(*)::int as n from (select ticket_id, round from assignment_log where outcome in ('assigned', 'claimed')
      group by 1, 2 having count(*) > 1) d`.execute(db);
    expect(dupes[0]?.n).toBe(0);
    const { rows: mismatched } = await sql<{ id: number }>`
      select t.id from tickets t
      left join lateral (select staff_id, round from assignment_log l where l.ticket_id = t.id and l.outcome in ('assigned', 'claimed')
                         order by round desc limit 1) w on true
      where w.staff_id is distinct from t.assignee_id or w.round is distinct from t.routing_round`.execute(db);
    expect(mismatched).toEqual([]);
    // The claim offers went to exactly one claimer each.
    const phone = await db.selectFrom("tickets").select("assignee_id").where("channel", "=", "phone").execute();
    for (const p of phone) expect(claimIds).toContain(p.assignee_id);
    // The per-agent counters the decisions read agree with the tickets.
    const { rows: drift } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select assignee_id as staff_id, count(*) as n from tickets where assignee_id is not null and status not in ('solved','closed') group by 1
      ) a full join (select staff_id, sum(value::int) as n from agent_states, jsonb_each(open_by_category) group by 1 having sum(value::int) <> 0) c using (staff_id)
      where a.n is distinct from c.n`.execute(db);
    expect(drift[0]?.n).toBe(0);
    const { rows: totalDrift } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select assignee_id as staff_id, count(*)::int as n from tickets where assignee_id is not null and status not in ('solved','closed') group by 1
      ) a full join (select staff_id, open_count as n from agent_states where open_count <> 0) c using (staff_id)
      where a.n is distinct from c.n`.execute(db);
    expect(totalDrift[0]?.n).toBe(0);
    const failed = await db.selectFrom("jobs").select(["queue", "last_error"]).where("status", "=", "failed").execute();
    expect(failed).toEqual([]);
  });
});
