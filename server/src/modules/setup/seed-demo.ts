import { seedDemoClassifier } from "./demo-classifier";
import { seedDemoAudit } from "./demo-audit";
import { seedDemoPrivacy } from "./demo-privacy";
import { seedDemoImports } from "./demo-imports";
import { seedDemoZendesk } from "./demo-zendesk";
import { seedDemoChannels } from "./demo-channels";
import { seedDemoKnowledge } from "./demo-knowledge";
import { randomBytes } from "node:crypto";
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { hashPassword } from "../../platform/auth/passwords";
import { sha256Hex } from "../../platform/auth/secrets";
import { writeSearchDocuments } from "../tickets/ticket-search-index";
import { rescoreEverything } from "../routing/routing-jobs";
import { recomputeOpenTickets } from "../sla/sla-jobs";
import * as talk from "./demo-conversations";
import * as data from "./demo-data";
import { rng } from "./demo-rng";
import { slaHistory } from "./demo-sla";
import { planTicket, planOfferedTicket, planWaitingTicket } from "./demo-ticket-life";
import { DESK_AGENT, DESK_SIZE, planCarriedDesk } from "./demo-desk";
import { type DemoAgent, type DemoCustomer, type DemoWorld, type PlannedTicket, arrivals, shiftStart } from "./demo-world";
import { isOnShift } from "../routing/shifts";
import { seedDemoRouting, seedDemoRules, seedDemoSla } from "./seed-demo-workspace";
import { PROCESS_CATEGORIES, seedDemoProcesses } from "./demo-processes";
import { refreshAnalyticsNow } from "../analytics/analytics-jobs";
import { seedDemoNotifications } from "./demo-notifications";
import { seedVisits } from "./demo-visits";

async function chunked<T>(rows: T[], size: number, fn: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}

const shiftsOf = (s: data.DemoShift) => s.days.map((weekday) => ({ weekday, start: s.start, end: s.end }));

/** Departments, teams (strategy, how members come online, fallback), agents with skills, shifts and capacity. */
async function seedOrganisation(db: Transaction<DB>, passwordHash: string, at: { now: Date; timeZone: string }) {
  const departments = new Map<string, number>();
  for (const name of data.departments)
    departments.set(name, (await db.insertInto("departments").values({ name }).returning("id").executeTakeFirstOrThrow()).id);
  const teams = new Map<string, number>();
  for (const t of data.teams) {
    const row = await db
      .insertInto("teams")
      .values({
        name: t.name,
        department_id: departments.get(t.department) as number,
        strategy: t.strategy,
        presence_mode: t.presenceMode,
        ...(t.claimTimeoutMinutes ? { claim_timeout_minutes: t.claimTimeoutMinutes } : {}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    teams.set(t.name, row.id);
  }
  for (const t of data.teams)
    if (t.fallback)
      await db
        .updateTable("teams")
        .set({ fallback_team_id: teams.get(t.fallback) as number })
        .where("id", "=", teams.get(t.name) as number)
        .execute();
  const skills = new Map<string, number>();
  for (const name of data.skills)
    skills.set(
      name,
      (
        await db
          .insertInto("skills")
          .values({ name })
          .onConflict((oc) => oc.column("name").doUpdateSet({ name }))
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id,
    );
  const agents = new Map<number, DemoAgent>();
  const onlineByHand = new Set<number>();
  for (const a of data.agents) {
    const team = data.teams.find((t) => t.name === a.team) as data.DemoTeam;
    const departmentId = departments.get(team.department) as number;
    const row = await db
      .insertInto("staff")
      .values({ email: `${a.email}@demo.loopdesk.local`, name: a.name, role: a.role, password_hash: passwordHash })
      .onConflict((oc) => oc.column("email").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) continue;
    const teamId = teams.get(a.team) as number;
    await db.insertInto("staff_departments").values({ staff_id: row.id, department_id: departmentId }).execute();
    await db.insertInto("team_members").values({ staff_id: row.id, team_id: teamId }).execute();
    await db
      .insertInto("staff_skills")
      .values(a.skills.map(([s, level]) => ({ staff_id: row.id, skill_id: skills.get(s) as number, level })))
      .execute();
    const shifts = shiftsOf(a.shift);
    // A team that goes online by hand: those on shift went online when their shift began.
    const byHand = team.presenceMode === "manual" && isOnShift(shifts, [], at.now, at.timeZone);
    if (byHand) onlineByHand.add(row.id);
    await db
      .insertInto("agent_states")
      .values({
        staff_id: row.id,
        capacity: a.capacity,
        channel_capacity: "{}",
        shifts: JSON.stringify(shifts),
        shift_exceptions: "[]",
        presence_source: byHand ? "user" : "auto",
        ...(byHand ? { presence: "online", presence_changed_at: shiftStart(a.shift, at.now) } : {}),
      })
      .execute();
    agents.set(row.id, { id: row.id, name: a.name, departmentId, shifts, capacity: a.capacity, teamIds: [teamId] });
  }
  return { departments, teams, skills, agents, onlineByHand };
}

/** Categories with their department, template fields (required per category) and the skills they need. */
async function seedCategories(db: Transaction<DB>, departments: Map<string, number>, skills: Map<string, number>) {
  const categories = new Map<string, { id: number; departmentId: number; requires: string[] }>();
  for (const [i, c] of talk.categories.entries()) {
    const departmentId = departments.get(c.department) as number;
    const row = await db
      .insertInto("categories")
      .values({ name: c.name, department_id: departmentId, position: i })
      .returning("id")
      .executeTakeFirstOrThrow();
    categories.set(c.name, { id: row.id, departmentId, requires: data.requiredFields[c.name] ?? [] });
    for (const [skill, level] of data.categorySkills[c.name] ?? [])
      await db
        .insertInto("category_skills")
        .values({ category_id: row.id, skill_id: skills.get(skill) as number, min_level: level })
        .execute();
  }
  const needing = (key: string) => [...categories].filter(([name]) => data.requiredFields[name]?.includes(key)).map(([, c]) => c.id);
  await db
    .insertInto("custom_field_definitions")
    .values([
      {
        entity: "ticket",
        key: "order_no",
        label: "订单号",
        type: "text",
        pattern: "^(DD|JD)\\d{8,12}$",
        options: "[]",
        position: 1,
        required: true,
        category_ids: needing("order_no"),
        help_text: "例如 DD20261234567",
      },
      {
        entity: "ticket",
        key: "device_model",
        label: "设备型号",
        type: "text",
        pattern: null,
        options: "[]",
        position: 2,
        required: true,
        category_ids: needing("device_model"),
        help_text: "机身背面铭牌上的型号，例如 LD-200",
      },
      {
        entity: "customer",
        key: "region",
        label: "所在地区",
        type: "select",
        pattern: null,
        options: JSON.stringify(data.regions),
        position: 1,
      },
    ])
    .onConflict((oc) => oc.columns(["entity", "key"]).doNothing())
    .execute();
  return categories;
}

async function seedCustomers(db: Transaction<DB>, r: ReturnType<typeof rng>, count: number, passwordHash: string) {
  const orgIds: number[] = [];
  for (const name of data.companies)
    orgIds.push((await db.insertInto("organizations").values({ name, custom_fields: "{}" }).returning("id").executeTakeFirstOrThrow()).id);
  const tiers = ["normal", "silver", "gold", "vip"] as const;
  const rows = Array.from({ length: count }, () => {
    const tier = r.weighted(tiers, (t) => ({ normal: 70, silver: 18, gold: 9, vip: 3 })[t]);
    return {
      name: r.pick(data.surnames) + r.pick(data.givenNames),
      tier,
      organization_id: r.chance(0.25) ? r.pick(orgIds) : null,
      custom_fields: JSON.stringify({ region: r.pick(data.regions).value }),
      password_hash: passwordHash,
    };
  });
  const customers: DemoCustomer[] = [];
  await chunked(rows, 300, async (chunk) => {
    const saved = await db.insertInto("customers").values(chunk).returning(["id", "tier", "organization_id", "name"]).execute();
    customers.push(...saved.map((c) => ({ id: c.id, tier: c.tier, org: c.organization_id, name: c.name, hasOrder: true })));
  });
  await chunked(customers, 300, (chunk) =>
    db
      .insertInto("customer_identities")
      .values(
        chunk.flatMap((c) => [
          { customer_id: c.id, kind: "email", value: `customer${c.id}@example.cn`, verified: true },
          { customer_id: c.id, kind: "phone", value: `+861${30 + (c.id % 60)}${String(10_000_000 + c.id * 7919).slice(-8)}` },
        ]),
      )
      .onConflict((oc) => oc.columns(["kind", "value"]).doNothing())
      .execute(),
  );
  return customers;
}

/** The planned tickets with their messages, history (with the SLA's), routing log, ratings, clocks and search documents. */
async function insertTickets(db: Transaction<DB>, plans: (PlannedTicket & { sla: ReturnType<typeof slaHistory> })[]) {
  // The routing log is written in the order its decisions were made, as the router writes it (the
  // board lists the latest first by id).
  const log: (PlannedTicket["decisions"][number] & { ticket_id: number })[] = [];
  await chunked(plans, 250, async (chunk) => {
    const rows = await db
      .insertInto("tickets")
      .values(chunk.map((p) => ({ ...p.ticket, sla_policy_id: p.sla.policyId })))
      .returning("id")
      .execute();
    const ids = rows.map((x) => x.id);
    const each = <T>(fn: (p: (typeof chunk)[number], id: number) => T[]) => chunk.flatMap((p, i) => fn(p, ids[i] as number));
    const messages = each((p, id) => p.messages.map((m) => ({ ...m, ticket_id: id })));
    const events = each((p, id) =>
      [...p.events, ...p.sla.events].sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).map((e) => ({ ...e, ticket_id: id })),
    );
    if (messages.length) await db.insertInto("ticket_messages").values(messages).execute();
    await chunked(events, 2000, (part) => db.insertInto("ticket_events").values(part).execute());
    log.push(...each((p, id) => p.decisions.map((d) => ({ ...d, ticket_id: id }))));
    const sla = each((p, id) => p.sla.rows.map((s) => ({ ...s, ticket_id: id })));
    if (sla.length) await db.insertInto("ticket_sla").values(sla).execute();
    const ratings = each((p, id) =>
      p.csat
        ? [
            {
              ticket_id: id,
              token_hash: sha256Hex(randomBytes(16).toString("hex")),
              sent_at: p.csat.sentAt,
              rating: p.csat.rating,
              comment: p.csat.comment,
              answered_at: p.csat.answeredAt,
              answered_via: "link" as const,
            },
          ]
        : [],
    );
    if (ratings.length) await db.insertInto("csat_surveys").values(ratings).execute();
    await writeSearchDocuments(
      db,
      chunk.map((p, i) => ({
        id: ids[i] as number,
        subject: String(p.ticket.subject),
        description: String(p.ticket.description),
        messages: p.messages.map((m) => m.body_text),
      })),
    );
  });
  log.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  await chunked(log, 2000, (part) => db.insertInto("assignment_log").values(part).execute());
}

/**
 * Adds the demo workspace: departments, teams that route by category with agents on shifts
 * (around the clock in after-sales), 400 customers and ~3,000 tickets over 90 days whose histories
 * exercise every report — first-contact resolutions, transfers between departments, reopenings,
 * incomplete requests that were asked for, SLA breaches and escalations, urges and ratings.
 */
/** Left by a first start that is to seed the demo; gone with the seed's commit. */
export const DEMO_PENDING = "demo.pending";

export type DemoSize = { tickets?: number; customers?: number; now?: Date };

/** Requests still waiting for a first answer (their target long past), working days back: the after-sales and logistics desks' tail. */
const WAITING = [
  { weekdaysBack: 1, categoryName: "退换货" },
  { weekdaysBack: 3, categoryName: "物流查询" },
  { weekdaysBack: 8, categoryName: "物流查询" },
];
/** Minutes before the seeding of the newest pre-sales questions, still on offer to their team (抢单), oldest first. */
const OFFERED_MINUTES_AGO = [13, 7, 2];

/**
 * Seeds the demo workspace in one transaction. With `claimPending`, it first takes the
 * `demo.pending` marker the first start left (in the same transaction): another process that took
 * it already seeded the demo, and this one answers null.
 */
export async function seedDemo(
  ctx: AppContext,
  /** progress: told as each part is seeded (the first start prints it: seeding takes a while). */
  opts: DemoSize & { claimPending?: boolean; progress?: (step: string) => void } = {},
) {
  const step = opts.progress ?? (() => {});
  const r = rng(20261121);
  const now = opts.now ?? new Date();
  const ticketCount = opts.tickets ?? 3000;
  const passwordHash = await hashPassword(data.DEMO_PASSWORD);

  return ctx.db.transaction().execute(async (db) => {
    if (opts.claimPending) {
      const taken = await db.deleteFrom("settings").where("key", "=", DEMO_PENDING).returning("key").executeTakeFirst();
      if (!taken) return null;
    }
    step("departments, teams and agents");
    const org = await seedOrganisation(db, passwordHash, { now, timeZone: ctx.config.timeZone });
    const categories = await seedCategories(db, org.departments, org.skills);
    step(`${opts.customers ?? 400} customers`);
    const customers = await seedCustomers(db, r, opts.customers ?? 400, passwordHash);
    const { calendar, policies } = await seedDemoSla(db);
    await seedDemoRouting(db, org.teams);
    await seedDemoRules(db, categories);

    const teamInfo = new Map(
      data.teams.map((t) => {
        const id = org.teams.get(t.name) as number;
        return [
          id,
          {
            id,
            name: t.name,
            departmentId: org.departments.get(t.department) as number,
            memberIds: [...org.agents.values()].filter((a) => a.teamIds.includes(id)).map((a) => a.id),
            fallbackId: t.fallback ? (org.teams.get(t.fallback) as number) : null,
            strategy: t.strategy,
            claimTimeoutMinutes: t.claimTimeoutMinutes ?? 5,
            rostered: t.presenceMode === "shift",
          },
        ];
      }),
    );
    const departmentTeam = new Map<number, number>();
    for (const t of teamInfo.values())
      if (!departmentTeam.has(t.departmentId) && t.name !== "VIP 专席") departmentTeam.set(t.departmentId, t.id);
    const world: DemoWorld = {
      now,
      timeZone: ctx.config.timeZone,
      agents: org.agents,
      teams: teamInfo,
      departmentTeam,
      vipTeamId: org.teams.get("VIP 专席") as number,
      departments: org.departments,
      categories,
      busy: new Map(),
      onlineByHand: org.onlineByHand,
    };
    const recentBy = new Map<string, number[]>();
    // The featured agent's desk carried over from her last shift: hers whatever the hour (demo-desk.ts).
    // Planned first, so routing the other tickets counts it in her load; numbered last (below).
    const deskAgent = [...world.agents.values()].find((a) => a.name === DESK_AGENT);
    const carried = deskAgent ? planCarriedDesk(rng(20261207), world, customers, deskAgent) : [];
    // The workspace's tickets: the day-to-day ones and a small tail still waiting (below).
    const times = arrivals(r, now, ticketCount - WAITING.length - OFFERED_MINUTES_AGO.length - DESK_SIZE);
    const plans = times.map((created, i) => {
      // The latest requests include the kinds processes run on, so the demo has processes under way.
      const fromEnd = times.length - 1 - i;
      const categoryName = fromEnd < 2 * PROCESS_CATEGORIES.length ? PROCESS_CATEGORIES[fromEnd % PROCESS_CATEGORIES.length] : undefined;
      const plan = planTicket(r, world, customers, recentBy, created, categoryName);
      return { ...plan, sla: slaHistory(plan, policies, calendar, now) };
    });
    // A few requests still waiting days later (their own random stream: the rest of the demo is unchanged).
    const tail = rng(20261205);
    for (const waiting of WAITING) {
      const plan = planWaitingTicket(tail, world, customers, waiting);
      plans.push({ ...plan, sla: slaHistory(plan, policies, calendar, now) });
    }
    // The newest pre-sales questions, waiting for someone of the pre-sales team to claim them.
    const offered = rng(20261206);
    for (const [nth, ago] of OFFERED_MINUTES_AGO.entries()) {
      const plan = planOfferedTicket(offered, world, customers, ago, nth);
      plans.push({ ...plan, sla: slaHistory(plan, policies, calendar, now) });
    }
    for (const plan of carried) plans.push({ ...plan, sla: slaHistory(plan, policies, calendar, now) });
    step(`${plans.length} tickets with their history`);
    await insertTickets(db, plans);
    step("follow-ups, processes, knowledge, audit, privacy, imports and channels");
    await seedVisits(db, r, now);
    await seedDemoProcesses(ctx, db, r, now);
    await seedDemoClassifier(db);
    await seedDemoKnowledge(db, r, now);
    await seedDemoAudit(db, r, now);
    await seedDemoPrivacy(ctx, db, now);
    await seedDemoImports(ctx, db, r, now);
    await seedDemoZendesk(ctx, db, r, now);
    await seedDemoChannels(ctx, db, org.departments, now);
    // After the replays above, whose bells are dropped as history.
    await seedDemoNotifications(db, now);
    // Seeding runs before the server serves anyone: no other process to wait for.
    step("SLA clocks and priorities");
    await recomputeOpenTickets(db, { otherProcessesMayRun: false });
    await rescoreEverything(db);
    // The reports' facts and rollups too: the dashboards have their data when the server first answers.
    step("reports");
    await refreshAnalyticsNow(db, ctx.config.timeZone);
    return { tickets: plans.length, customers: customers.length, agents: org.agents.size, password: data.DEMO_PASSWORD };
  });
}
