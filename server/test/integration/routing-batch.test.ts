import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { routeLater } from "../../src/modules/routing/route-later";
import { routeTicket, routeTickets } from "../../src/modules/routing/route-ticket";
import { holdTransaction } from "../support/hold-transaction";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * A run of tickets decided together (what the routing subscriber does with a burst of new
 * tickets): each ticket is assigned once, capacity holds across the run, and an agent the database
 * finds full when the run claims them (another transaction filled them meanwhile) is replaced.
 */
let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());
// A failed test must not leave its held transaction open (its locks would stall the next test).
let releaseHeld = () => {};
afterEach(() => releaseHeld());

async function agent(departmentId: number, capacity: number) {
  const s = await t.factory.staff({ departmentIds: [departmentId] });
  expect((await admin.patch(`/api/v1/routing/agents/${s.id}`, { capacity })).statusCode).toBe(200);
  const client = await t.signIn(s.email, PASSWORD);
  expect((await client.request("PUT", "/api/v1/routing/me/presence", { presence: "online" })).statusCode).toBe(200);
  return s;
}

/** A team with a rule sending a new category to it; tickets of that category are created unrouted (their jobs not run yet). */
async function setUp(capacities: number[], strategy = "least_loaded") {
  const dept = await t.factory.department();
  const agents = [];
  for (const c of capacities) agents.push(await agent(dept.id, c));
  const cat = (await admin.post("/api/v1/categories", { name: `批量-${Date.now()}-${Math.random()}` })).json();
  const team = (
    await admin.post("/api/v1/teams", { name: `批量组-${cat.id}`, departmentId: dept.id, memberIds: agents.map((a) => a.id) })
  ).json();
  expect((await admin.patch(`/api/v1/routing/teams/${team.id}`, { strategy })).statusCode).toBe(200);
  expect(
    (await admin.post("/api/v1/routing/rules", { name: `批量-${cat.id}`, conditions: { categoryIds: [cat.id] }, teamId: team.id }))
      .statusCode,
  ).toBe(201);
  const tickets = async (n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const customer = await t.factory.customer();
      const res = await admin.post("/api/v1/tickets", {
        subject: `批量工单 ${i}`,
        description: "x",
        categoryId: cat.id,
        customer: { id: customer.id },
      });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    return ids;
  };
  return { agents, teamId: team.id as number, tickets };
}

const assignees = async (ids: number[]) =>
  t.ctx.db.selectFrom("tickets").select(["id", "assignee_id", "routing_status"]).where("id", "in", ids).orderBy("id").execute();

describe("routing a run of tickets together", () => {
  it("assigns each ticket once within capacity, spreads the load, logs one decision each and queues the rest", async () => {
    const { agents, teamId, tickets } = await setUp([2, 2, 1]);
    const ids = await tickets(7);
    const results = await t.ctx.db.transaction().execute((trx) => routeTickets(t.ctx, trx, ids, { trigger: "created" }));
    const rows = await assignees(ids);
    const byAgent = new Map<number, number>();
    for (const r of rows) if (r.assignee_id !== null) byAgent.set(r.assignee_id, (byAgent.get(r.assignee_id) ?? 0) + 1);
    // Five places in all: every agent filled to capacity, never beyond; the other two wait in the team's queue.
    expect(Object.fromEntries(byAgent)).toEqual({
      [agents[0]?.id as number]: 2,
      [agents[1]?.id as number]: 2,
      [agents[2]?.id as number]: 1,
    });
    expect(rows.filter((r) => r.routing_status === "queued")).toHaveLength(2);
    expect([...results.values()].filter((r) => r.outcome === "assigned")).toHaveLength(5);
    expect([...results.values()].filter((r) => r.outcome === "queued" && r.teamId === teamId)).toHaveLength(2);
    // Least-loaded spreads as it goes: the first three tickets go to three different agents.
    expect(new Set(rows.slice(0, 3).map((r) => r.assignee_id)).size).toBe(3);

    const log = await t.ctx.db
      .selectFrom("assignment_log")
      .select(["ticket_id", "outcome", "staff_id"])
      .where("ticket_id", "in", ids)
      .execute();
    const assigned = rows.filter((r) => r.assignee_id !== null);
    expect(log.filter((l) => l.outcome === "assigned").sort((a, b) => a.ticket_id - b.ticket_id)).toEqual(
      assigned.map((r) => ({ ticket_id: r.id, outcome: "assigned", staff_id: r.assignee_id })),
    );
    // Each assignment is in the ticket's history and went out as one ticket.updated event.
    const history = await t.ctx.db
      .selectFrom("ticket_events")
      .select(["ticket_id", "after"])
      .where("ticket_id", "in", ids)
      .where("type", "=", "assigned")
      .execute();
    expect(history.map((h) => [h.ticket_id, h.after]).sort()).toEqual(assigned.map((r) => [r.id, r.assignee_id]).sort());
    const { rows: events } = await sql<{ aggregate_id: number; n: number }>`
      select aggregate_id, count(*)::int as n from domain_events
      where type = 'ticket.updated' and aggregate_id = any(${ids}::int[]) and payload->'fields' ? 'assigneeId'
      group by 1`.execute(t.ctx.db);
    expect(events.map((e) => [e.aggregate_id, e.n]).sort()).toEqual(assigned.map((r) => [r.id, 1]).sort());
    // The per-agent counters agree with the tickets.
    const states = await t.ctx.db
      .selectFrom("agent_states")
      .select(["staff_id", "open_count"])
      .where(
        "staff_id",
        "in",
        agents.map((a) => a.id),
      )
      .execute();
    expect(Object.fromEntries(states.map((s) => [s.staff_id, s.open_count]))).toEqual(Object.fromEntries(byAgent));

    // The queued jobs of these tickets find them decided: nothing changes.
    await t.ctx.jobs.drain();
    expect(await assignees(ids)).toEqual(rows);
  });

  it("tickets with no team to go to wait for a person to assign them: each marked once, one decision each, none again on a retry", async () => {
    const dept = await t.factory.department();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const customer = await t.factory.customer();
      const res = await admin.post("/api/v1/tickets", {
        subject: `无人组 ${i}`,
        description: "x",
        departmentId: dept.id,
        customer: { id: customer.id },
      });
      ids.push(res.json().id);
    }
    const decide = () => t.ctx.db.transaction().execute((trx) => routeTickets(t.ctx, trx, ids, { trigger: "created" }));
    const results = await decide();
    expect([...results.values()].map((r) => r.outcome)).toEqual(["manual", "manual", "manual", "manual"]);
    expect((await assignees(ids)).map((r) => [r.assignee_id, r.routing_status])).toEqual(ids.map(() => [null, "manual"]));
    const logged = () =>
      t.ctx.db.selectFrom("assignment_log").select(["ticket_id", "outcome"]).where("ticket_id", "in", ids).orderBy("ticket_id").execute();
    expect(await logged()).toEqual(ids.map((id) => ({ ticket_id: id, outcome: "manual" })));
    await decide();
    expect(await logged()).toHaveLength(4);
  });

  /** Routes `x` in a transaction held open until the returned `release` is called. */
  async function holdFirst(x: number) {
    const { done: first, release } = await holdTransaction(t.ctx.db, (trx) => routeTicket(t.ctx, trx, x, { trigger: "created" }));
    releaseHeld = release;
    return { first, release };
  }

  it("an agent another transaction is assigning to right now is passed over, not waited for", async () => {
    if (inject("engine") !== "postgres") return; // one connection: PGlite cannot hold a transaction open beside another
    const { agents, tickets } = await setUp([1, 1], "round_robin");
    const a = agents[0] as { id: number };
    const b = agents[1] as { id: number };
    const [x, y] = (await tickets(2)) as [number, number];
    // Round-robin prefers the agent assigned longest ago: `a` for both decisions.
    await t.ctx.db.updateTable("agent_states").set({ last_assigned_at: new Date() }).where("staff_id", "=", b.id).execute();
    const { first, release } = await holdFirst(x);
    // The first transaction is still open: the second decides without waiting for it.
    const second = await t.ctx.db.transaction().execute((trx) => routeTicket(t.ctx, trx, y, { trigger: "created" }));
    expect(second).toMatchObject({ outcome: "assigned", staffId: b.id });
    release();
    expect(await first).toMatchObject({ outcome: "assigned", staffId: a.id });
    expect((await assignees([x, y])).map((r) => r.assignee_id)).toEqual([a.id, b.id]);
  });

  it("an agent filled by another transaction while the run decided is refused by the claim's re-check", async () => {
    if (inject("engine") !== "postgres") return;
    const { agents, teamId, tickets } = await setUp([1]);
    const a = agents[0] as { id: number };
    const [x, y] = (await tickets(2)) as [number, number];
    const { first, release } = await holdFirst(x);
    // The second run reads `a` as free (the first is not committed); `a` is its only choice, so it waits for their row.
    const second = t.ctx.db.transaction().execute((trx) => routeTicket(t.ctx, trx, y, { trigger: "created" }));
    await expect
      .poll(
        async () =>
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(
              t.ctx.db,
            )
          ).rows[0]?.n,
      )
      .toBe(1);
    release();
    expect(await first).toMatchObject({ outcome: "assigned", staffId: a.id });
    // Once the first commits, the re-check finds `a` full: the ticket waits in the team's queue instead of going over capacity.
    expect(await second).toMatchObject({ outcome: "queued", teamId });
    expect((await assignees([x, y])).map((r) => r.assignee_id)).toEqual([a.id, null]);
    const state = await t.ctx.db.selectFrom("agent_states").select("open_count").where("staff_id", "=", a.id).executeTakeFirstOrThrow();
    expect(state.open_count).toBe(1);
    const log = await t.ctx.db
      .selectFrom("assignment_log")
      .select(["ticket_id", "outcome", "staff_id"])
      .where("ticket_id", "in", [x, y])
      .orderBy("id")
      .execute();
    expect(log).toEqual([
      { ticket_id: x, outcome: "assigned", staff_id: a.id },
      { ticket_id: y, outcome: "queued", staff_id: null },
    ]);
  });

  it("a run holding agents never waits for another's: a ticket only a busy agent can take is decided on its own afterwards", async () => {
    if (inject("engine") !== "postgres") return;
    const p = await setUp([5]);
    const q = await setUp([5]);
    const [held] = (await q.tickets(1)) as [number];
    const [tp] = (await p.tickets(1)) as [number];
    const [tq] = (await q.tickets(1)) as [number];
    const { first, release } = await holdFirst(held);
    // The run takes p's agent, finds q's busy, and would have to wait for them while holding p's: it defers instead.
    const results = await t.ctx.db.transaction().execute((trx) => routeTickets(t.ctx, trx, [tp, tq], { trigger: "created" }));
    expect(results.get(tp)).toMatchObject({ outcome: "assigned", staffId: p.agents[0]?.id });
    expect(results.get(tq)).toEqual({ outcome: "deferred" });
    expect((await assignees([tq]))[0]?.assignee_id).toBeNull();
    release();
    await first;
    // Its own decision runs once the run committed.
    await t.ctx.jobs.drain();
    expect((await assignees([tq]))[0]?.assignee_id).toBe(q.agents[0]?.id);
  });

  it("a decision left for later keeps the team a transfer named (not the team the rules would pick)", async () => {
    const q = await setUp([5]);
    // No rule matches a ticket without a category: on its own it would wait unassigned, in no team.
    const customer = await t.factory.customer();
    const ticket = (await admin.post("/api/v1/tickets", { subject: "转组", customer: { id: customer.id } })).json().id as number;
    await t.ctx.jobs.drain();
    await t.ctx.db.transaction().execute((trx) => routeLater(trx, [ticket], "transferred", { teamId: q.teamId }));
    await t.ctx.jobs.drain();
    const row = await t.ctx.db.selectFrom("tickets").select(["team_id", "assignee_id"]).where("id", "=", ticket).executeTakeFirstOrThrow();
    expect(row).toEqual({ team_id: q.teamId, assignee_id: q.agents[0]?.id });
  });
});
