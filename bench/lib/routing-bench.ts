import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { createContext } from "../../server/src/app";
import { loadConfig } from "../../server/src/config";
import type { Database } from "../../server/src/db/database";
import { routeTicket, routeTickets } from "../../server/src/modules/routing/route-ticket";
import { takeRoutingTurn } from "../../server/src/modules/routing/routing-turn";
import { SIM_STRATEGIES, simulateDay } from "../../server/src/modules/routing/simulator/simulate-day";
import { generatedProfile } from "../../server/src/modules/routing/simulator/simulation-profile";
import { createLogger } from "../../server/src/platform/logger";
import { load, percentiles, round } from "./load";

/**
 * Issue 5: routing decisions on PostgreSQL with 500 agents (10 teams of 50, online, no shifts) and
 * 100,000 open tickets assigned among them; `decisions` new unassigned tickets are then routed by
 * the live decision function (ticket lock, rules, eligibility from the per-agent counters, agent
 * lock, capacity re-check, assignment with its history and domain event, the log), each in its own
 * transaction, sequentially and with 8 in flight; then as runs (routeTickets, what the routing
 * subscriber does with a burst, taking turns as it does) under steady arrivals of 500/s and 1000/s. Plus
 * the simulator: one generated day of 50,000 tickets per strategy.
 */
export async function benchRouting(database: Database, opts: { openTickets: number; decisions: number }) {
  const { db, take, decide, decideRun } = await prepareRouting(database, {
    openTickets: opts.openTickets,
    fresh: opts.decisions * 3 + 1100,
  });
  const sequentialIds = take(Math.min(1000, opts.decisions));
  const sequential = await load(sequentialIds.length, 1, (i) => decide(sequentialIds[i] as number));
  const concurrentIds = take(opts.decisions);
  const concurrent = await load(concurrentIds.length, 8, (i) => decide(concurrentIds[i] as number));
  // Open loop: tickets arrive at a steady rate and two routing workers (as two processes would run) decide what has arrived.
  // A deferred ticket is decided by a job of its own, which takes its turn like any run from the queue.
  const decideQueued = async (id: number) => {
    if ((await decideRun([id])).deferred.length) throw new Error(`ticket ${id} was deferred again`);
  };
  const atTarget = await arrivals(take(opts.decisions), 500, 2, decideRun, decideQueued);
  const overload = await arrivals(take(opts.decisions), 1000, 2, decideRun, decideQueued);
  const log = await sql<{ n: number; tickets: number }>`
    select count(*)::int as n, count(distinct ticket_id)::int as tickets from assignment_log where outcome = 'assigned'`.execute(db);

  const profile = generatedProfile({ tickets: 50_000 });
  const simulator = SIM_STRATEGIES.map((s) => {
    const r = simulateDay(profile, s);
    return { strategy: s, runMs: round(r.runMs), slaHitRate: round(r.slaHitRate), meanFirstResponseMin: round(r.waitFirstResponse.mean) };
  });
  return {
    agents: AGENTS,
    teams: TEAMS,
    openTickets: opts.openTickets,
    decisions: {
      sequential,
      concurrency8: concurrent,
      arrivals500: atTarget,
      arrivals1000: overload,
    },
    winningDecisions: log.rows[0],
    simulator: {
      tickets: 50_000,
      agents: profile.agents.length,
      perStrategy: simulator,
      totalMs: round(simulator.reduce((s, r) => s + r.runMs, 0)),
    },
  };
}

const AGENTS = 500;
const TEAMS = 10;

/**
 * The routing benchmark's database: AGENTS agents in TEAMS teams (one rule per category), `openTickets`
 * open tickets assigned among them and `fresh` new unassigned ones; `take(n)` hands out the next n
 * new tickets; `decide` routes one ticket in its own transaction, `decideRun` a run as the routing subscriber does.
 */
export async function prepareRouting(database: Database, opts: { openTickets: number; fresh: number }) {
  const db = database.db;
  const dep = await db.insertInto("departments").values({ name: "路由基准" }).returning("id").executeTakeFirstOrThrow();
  const customer = await db
    .insertInto("customers")
    .values({ name: "基准客户", custom_fields: "{}" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const staff = await db
    .insertInto("staff")
    .values(Array.from({ length: AGENTS }, (_, i) => ({ email: `route${i}@bench.local`, name: `坐席${i}`, role: "agent" as const })))
    .returning("id")
    .execute();
  const agentIds = staff.map((s) => s.id);
  const categories = [];
  for (let t = 0; t < TEAMS; t++) {
    const team = await db
      .insertInto("teams")
      .values({ name: `组${t}`, department_id: dep.id, strategy: (["least_loaded", "load_aware", "round_robin", "skill"] as const)[t % 4] })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("team_members")
      .values(agentIds.slice(t * 50, t * 50 + 50).map((staff_id) => ({ team_id: team.id, staff_id })))
      .execute();
    const cat = await db
      .insertInto("categories")
      .values({ name: `类型${t}`, department_id: dep.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    categories.push(cat.id);
    await db
      .insertInto("routing_rules")
      .values({ name: `规则${t}`, position: t, conditions: JSON.stringify({ categoryIds: [cat.id] }), team_id: team.id })
      .execute();
  }
  await db
    .insertInto("agent_states")
    .values(
      agentIds.map((staff_id) => ({
        staff_id,
        presence: "online" as const,
        capacity: 1000,
        channel_capacity: "{}",
        shifts: "[]",
        shift_exceptions: "[]",
      })),
    )
    .execute();
  // Open tickets, each assigned to a member of its category's team (the trigger keeps the counters).
  await sql`
    insert into tickets (subject, description, status, priority, channel, category_id, customer_id, department_id, assignee_id,
                         tags, custom_fields, created_at, updated_at, routing_status, routing_round)
    select '在办工单 ' || g, '', 'open', 'normal', 'api', (${categories}::int[])[1 + g % ${TEAMS}], ${customer.id}, ${dep.id},
           (${agentIds}::int[])[1 + (g % ${TEAMS}) * 50 + (g / ${TEAMS}) % 50], '{}', '{}', now() - interval '1 day', now(), 'assigned', 1
    from generate_series(1, ${opts.openTickets}::int) g`.execute(db);
  const fresh = await sql<{ id: number }>`
    insert into tickets (subject, description, status, priority, channel, category_id, customer_id, department_id, tags, custom_fields, created_at, updated_at)
    select '新工单 ' || g, '', 'new', 'normal', 'api', (${categories}::int[])[1 + g % ${TEAMS}], ${customer.id}, ${dep.id}, '{}', '{}', now(), now()
    from generate_series(1, ${opts.fresh}::int) g
    returning id`.execute(db);
  // Settled as a running server's database would be: vacuumed, and checkpointed so that the WAL the
  // load wrote is recycled. A brand-new cluster instead creates and zero-fills (with fsync) a 16 MB
  // WAL segment every ~2,000 decisions, a stall of 10–50 ms that only a just-initialised server has.
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
  const ids = fresh.rows.map((r) => r.id);
  const ctx = createContext(
    loadConfig({ DATA_DIR: path.join(os.tmpdir(), "loopdesk-bench-routing"), LOG_LEVEL: "silent" }),
    database,
    createLogger("silent"),
  );
  const decide = (id: number) =>
    db.transaction().execute(async (trx) => {
      const r = await routeTicket(ctx, trx, id, { trigger: "created" });
      if (r.outcome !== "assigned") throw new Error(`ticket ${id} was not assigned: ${r.outcome}`);
    });
  /**
   * One run as the routing subscriber decides a burst from its queue: it takes its turn, then also
   * takes what arrived while it waited (`more`), and decides them together. Returns the tickets
   * decided and those left to a decision of their own.
   */
  const decideRun = (run: number[], more: (limit: number) => number[] = () => []) =>
    db.transaction().execute(async (trx) => {
      await takeRoutingTurn(trx);
      const all = [...run, ...more(MAX_RUN - run.length)];
      const results = await routeTickets(ctx, trx, all, { trigger: "created" });
      const deferred: number[] = [];
      for (const [id, r] of results)
        if (r.outcome === "deferred") deferred.push(id);
        else if (r.outcome !== "assigned") throw new Error(`ticket ${id} was not assigned: ${r.outcome}`);
      return { decided: all, deferred };
    });
  // Warm the caches (directory, handling times) and the connection pool.
  for (const id of ids.slice(0, 50)) await decide(id);
  let at = 50;
  const take = (n: number) => {
    at += n;
    return ids.slice(at - n, at);
  };
  return { db, ctx, take, decide, decideRun };
}

/** At most this many tickets in one run: what the job queue hands a batch subscriber at once. */
const MAX_RUN = 100;

type DecideRun = (run: number[], more: (limit: number) => number[]) => Promise<{ decided: number[]; deferred: number[] }>;

/**
 * Tickets arrive at `rate` per second; each of `workers` routing workers repeatedly takes every
 * ticket that has arrived and is not taken yet (up to MAX_RUN) and decides them as one run, as the
 * routing subscriber does with its queue — including the tickets that arrived while the run waited
 * for its turn; tickets a run defers get a decision of their own right after. A ticket's latency
 * runs from its arrival to the commit of its decision, waiting included.
 */
export async function arrivals(
  ids: number[],
  rate: number,
  workers: number,
  decideRun: DecideRun,
  decideOne: (id: number) => Promise<void>,
) {
  const latencies: number[] = [];
  const runs: number[] = [];
  const index = new Map(ids.map((id, i) => [id, i]));
  let next = 0;
  let deferred = 0;
  const start = performance.now();
  const arrival = (i: number) => start + (i * 1000) / rate;
  const arrivedNow = () => Math.min(ids.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
  /** The arrived tickets nobody has taken yet, up to `limit`. */
  const takeArrived = (limit: number) => {
    const from = next;
    next = Math.min(arrivedNow(), from + Math.max(0, limit));
    return ids.slice(from, next);
  };
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < ids.length) {
        if (next >= arrivedNow()) {
          await new Promise((r) => setTimeout(r, Math.max(0, arrival(next) - performance.now())));
          continue;
        }
        const { decided, deferred: left } = await decideRun(takeArrived(MAX_RUN), takeArrived);
        for (const id of left) await decideOne(id);
        deferred += left.length;
        const done = performance.now();
        for (const id of decided) latencies.push(done - arrival(index.get(id) as number));
        runs.push(decided.length);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    total: ids.length,
    offeredPerSecond: rate,
    perSecond: round(ids.length / seconds),
    workers,
    meanRun: round(runs.reduce((a, b) => a + b, 0) / runs.length),
    deferred,
    ...percentiles(latencies),
  };
}
