import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { createContext } from "../../server/src/app";
import { loadConfig } from "../../server/src/config";
import type { Database } from "../../server/src/db/database";
import { routeTicket } from "../../server/src/modules/routing/route-ticket";
import { SIM_STRATEGIES, simulateDay } from "../../server/src/modules/routing/simulator/simulate-day";
import { generatedProfile } from "../../server/src/modules/routing/simulator/simulation-profile";
import { createLogger } from "../../server/src/platform/logger";
import { load, round } from "./load";

/**
 * Issue 5: routing decisions on PostgreSQL with 500 agents (10 teams of 50, online, no shifts) and
 * 100,000 open tickets assigned among them; `decisions` new unassigned tickets are then routed by
 * the live decision function (ticket lock, rules, eligibility from the per-agent counters, agent
 * lock, capacity re-check, assignment with its history and domain event, the log), each in its own
 * transaction, sequentially and with 8 in flight (as several job workers / processes would). Plus
 * the simulator: one generated day of 50,000 tickets per strategy.
 */
export async function benchRouting(database: Database, opts: { openTickets: number; decisions: number }) {
  const db = database.db;
  const AGENTS = 500;
  const TEAMS = 10;
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
    from generate_series(1, ${opts.decisions * 3}::int) g
    returning id`.execute(db);
  await sql`analyze`.execute(db);
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
  // Warm the caches (directory, handling times) and the connection pool.
  for (const id of ids.slice(0, 50)) await decide(id);
  const third = Math.floor((ids.length - 50) / 3);
  const sequential = await load(Math.min(third, 1000), 1, (i) => decide(ids[50 + i] as number));
  const concurrent = await load(third, 8, (i) => decide(ids[50 + third + i] as number));
  // As the job queue hands the router a run of new tickets: 10 decisions per transaction, 8 transactions in flight.
  const BATCH = 10;
  const batchStart = 50 + 2 * third;
  const batched = await load(Math.floor(third / BATCH), 8, (b) =>
    db.transaction().execute(async (trx) => {
      for (let k = 0; k < BATCH; k++) {
        const r = await routeTicket(ctx, trx, ids[batchStart + b * BATCH + k] as number, { trigger: "created" });
        if (r.outcome !== "assigned") throw new Error(`not assigned: ${r.outcome}`);
      }
    }),
  );
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
      batchesOf10: { ...batched, decisionsPerSecond: round(batched.perSecond * BATCH), batch: BATCH },
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
