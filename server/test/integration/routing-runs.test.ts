import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { routeTicket } from "../../src/modules/routing/route-ticket";
import { type RoutingDirectory, invalidateRoutingDirectory, routingDirectory } from "../../src/modules/routing/routing-directory";
import { takeRoutingTurn } from "../../src/modules/routing/routing-turn";
import { holdTransaction } from "../support/hold-transaction";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * How routing runs stay cheap without going stale: a process keeps the agents' rows it has read and
 * re-reads only those whose version changed (whoever changed them); an assignment logs its
 * runners-up, not the whole team; runs from the queue take turns.
 */
let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());
// A failed test must not leave the turn held (every later run would wait for it).
let releaseHeld = async () => {};
afterEach(() => releaseHeld());

async function team(online: number, offline = 0) {
  const dept = await t.factory.department();
  const agents = [];
  for (let i = 0; i < online + offline; i++) {
    const s = await t.factory.staff({ departmentIds: [dept.id] });
    expect((await admin.patch(`/api/v1/routing/agents/${s.id}`, { capacity: 5 })).statusCode).toBe(200);
    if (i < online) {
      const client = await t.signIn(s.email, PASSWORD);
      expect((await client.request("PUT", "/api/v1/routing/me/presence", { presence: "online" })).statusCode).toBe(200);
    }
    agents.push(s.id);
  }
  const cat = (await admin.post("/api/v1/categories", { name: `轮次-${Date.now()}-${Math.random()}` })).json();
  const created = (await admin.post("/api/v1/teams", { name: `轮次组-${cat.id}`, departmentId: dept.id, memberIds: agents })).json();
  expect((await admin.patch(`/api/v1/routing/teams/${created.id}`, { strategy: "least_loaded" })).statusCode).toBe(200);
  expect(
    (await admin.post("/api/v1/routing/rules", { name: `轮次-${cat.id}`, conditions: { categoryIds: [cat.id] }, teamId: created.id }))
      .statusCode,
  ).toBe(201);
  const ticket = async () => {
    const customer = await t.factory.customer();
    const res = await admin.post("/api/v1/tickets", {
      subject: "轮次工单",
      description: "x",
      categoryId: cat.id,
      customer: { id: customer.id },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  };
  return { agents, ticket, teamId: created.id as number };
}

const route = (id: number) => t.ctx.db.transaction().execute((trx) => routeTicket(t.ctx, trx, id, { trigger: "created" }));

type Logged = { staffId: number; details: Record<string, unknown>; candidates: { staffId: number; excluded?: string }[] };
const lastDecision = async (id: number) => ((await admin.get(`/api/v1/tickets/${id}/routing`)).json().decisions as Logged[]).at(-1);

/** Another run holding the turn (its transaction open) until released. */
async function holdTurn() {
  const { done, release } = await holdTransaction(t.ctx.db, takeRoutingTurn);
  releaseHeld = async () => {
    release();
    await done;
  };
  return { release: releaseHeld };
}

/** Until a routing run is blocked waiting for the turn. */
async function untilRunWaits() {
  const waiting = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`.execute(
        t.ctx.db,
      )
    ).rows[0]?.n;
  for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(await waiting()).toBe(1);
}

/** Until this process's copy of the routing directory satisfies `ok`, for at most `ms`. */
async function untilDirectory(ok: (d: RoutingDirectory) => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!ok(await routingDirectory(t.ctx.db)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(ok(await routingDirectory(t.ctx.db))).toBe(true);
}

describe("routing runs", () => {
  it("a team's members changed through the directory API are routed to at once (the change's notification drops every process's copy)", async () => {
    const { agents, ticket, teamId } = await team(2);
    const [a, b] = agents as [number, number];
    // A fresh copy of the directory, kept for up to three seconds unless a notification drops it.
    invalidateRoutingDirectory(t.ctx.db);
    expect(await route(await ticket())).toMatchObject({ outcome: "assigned", staffId: a });
    // b, the less loaded now, leaves the team through the teams API, which does not touch routing's copy itself.
    expect((await admin.patch(`/api/v1/teams/${teamId}`, { memberIds: [a] })).statusCode).toBe(200);
    // The commit's notification arrives well inside the copy's lifetime (a stale copy would still list b).
    await untilDirectory((d) => d.teams.get(teamId)?.memberIds.includes(b) === false, 1500);
    expect(await route(await ticket())).toMatchObject({ outcome: "assigned", staffId: a });
  });

  it("sees an agent's state changed elsewhere since the process last read it (rows are re-read when their version changed)", async () => {
    const { agents, ticket } = await team(2);
    const [a, b] = agents as [number, number];
    // The first decision reads both agents (and the process keeps their rows): the tie goes to a.
    expect(await route(await ticket())).toMatchObject({ outcome: "assigned", staffId: a });
    // Another process takes b offline with a plain UPDATE, not through this process's services.
    await sql`update agent_states set presence = 'offline' where staff_id = ${b}`.execute(t.ctx.db);
    // b has fewer open tickets, but is offline now: the ticket goes to a again.
    expect(await route(await ticket())).toMatchObject({ outcome: "assigned", staffId: a });
    // And back online (again from elsewhere): b, the less loaded, gets the next one.
    await sql`update agent_states set presence = 'online' where staff_id = ${b}`.execute(t.ctx.db);
    expect(await route(await ticket())).toMatchObject({ outcome: "assigned", staffId: b });
    // Counts changed by another process count too: two tickets given to b directly make a the less loaded.
    const [x, y] = [await ticket(), await ticket()];
    await sql`update tickets set assignee_id = ${b}, status = 'open' where id in (${x}, ${y})`.execute(t.ctx.db);
    expect(await route(await ticket())).toMatchObject({ outcome: "assigned", staffId: a });
  });

  it("logs the winner and the runners-up in the strategy's order, everyone left out, and how many more were eligible", async () => {
    const { agents, ticket } = await team(12, 1);
    const id = await ticket();
    expect(await route(id)).toMatchObject({ outcome: "assigned", staffId: agents[0] });
    const d = (await lastDecision(id)) as Logged;
    // Twelve eligible (all equally loaded: least loaded falls back to round-robin, then staff order): the first ten are listed.
    expect(d.candidates.map((c) => c.staffId)).toEqual([...agents.slice(0, 10), agents[12]]);
    expect(d.candidates.map((c) => c.excluded ?? null)).toEqual([...Array(10).fill(null), "offline"]);
    expect(d.details.moreEligible).toBe(2);
    // The next ticket: the first agent now has one open ticket and ranks last of the twelve.
    const next = await ticket();
    expect(await route(next)).toMatchObject({ outcome: "assigned", staffId: agents[1] });
    expect((await lastDecision(next))?.candidates.slice(0, 10).map((c) => c.staffId)).toEqual(agents.slice(1, 11));
  });

  it("runs from the queue take turns: a new ticket's run waits while another run holds the turn", async () => {
    if (inject("engine") !== "postgres") return; // one connection: PGlite runs one transaction at a time anyway
    const { agents, ticket } = await team(1);
    const turn = await holdTurn();
    const id = await ticket();
    const drained = t.ctx.jobs.drain();
    await untilRunWaits();
    const row = () => t.ctx.db.selectFrom("tickets").select("assignee_id").where("id", "=", id).executeTakeFirstOrThrow();
    // The routing job is waiting for its turn: nothing decided yet.
    expect((await row()).assignee_id).toBeNull();
    await turn.release();
    await drained;
    expect((await row()).assignee_id).toBe(agents[0]);
  });

  it("a run that waited for its turn also decides the new tickets that arrived meanwhile, in the same transaction", async () => {
    if (inject("engine") !== "postgres") return;
    const { agents, ticket } = await team(3);
    const turn = await holdTurn();
    const first = await ticket();
    const drained = t.ctx.jobs.drain();
    await untilRunWaits();
    const later = [await ticket(), await ticket()];
    await turn.release();
    await drained;
    const log = await t.ctx.db
      .selectFrom("assignment_log")
      .select(["ticket_id", "staff_id", "created_at"])
      .where("ticket_id", "in", [first, ...later])
      .where("outcome", "=", "assigned")
      .execute();
    // One decision each, spread over the team, all written by the one transaction (now() is its start).
    expect(log).toHaveLength(3);
    expect(new Set(log.map((r) => r.staff_id))).toEqual(new Set(agents));
    expect(new Set(log.map((r) => r.created_at.getTime())).size).toBe(1);
  });
});
