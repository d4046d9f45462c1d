import { type Insertable, sql } from "kysely";
import type { TicketEventsTable, TicketMessagesTable } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { hashPassword } from "../../platform/auth/passwords";
import { searchDocument } from "../../platform/text/search-text";
import * as data from "./demo-data";
import { seedDemoWorkspace } from "./seed-demo-workspace";

const DAY = 86_400_000;
const MIN = 60_000;

/** Deterministic pseudo-random numbers, so every demo workspace looks the same. */
function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const weighted = <T>(list: readonly T[], weight: (t: T) => number) => {
    const total = list.reduce((s, t) => s + weight(t), 0);
    let r = next() * total;
    for (const t of list) {
      r -= weight(t);
      if (r < 0) return t;
    }
    return list[list.length - 1];
  };
  return { next, pick, weighted, between: (lo: number, hi: number) => lo + next() * (hi - lo) };
}

// Arrivals by hour of day (Asia/Shanghai): busy mornings and afternoons, quiet nights.
const HOURLY = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 9, 10, 9, 6, 7, 9, 9, 8, 7, 5, 4, 4, 3, 2, 1.5];

type Msg = Insertable<TicketMessagesTable>;
type Ev = Insertable<TicketEventsTable>;

async function chunked<T>(rows: T[], size: number, fn: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}

/** Adds the demo workspace: departments, teams, agents, customers and ~3,000 tickets over 90 days. */
export async function seedDemo(ctx: AppContext, opts: { tickets?: number; customers?: number; now?: Date } = {}) {
  const r = rng(20261121);
  const now = opts.now ?? new Date();
  const ticketCount = opts.tickets ?? 3000;
  const customerCount = opts.customers ?? 400;
  const passwordHash = await hashPassword(data.DEMO_PASSWORD);

  return ctx.db.transaction().execute(async (db) => {
    const depIds = new Map<string, number>();
    for (const name of data.departments)
      depIds.set(name, (await db.insertInto("departments").values({ name }).returning("id").executeTakeFirstOrThrow()).id);
    const teamIds = new Map<string, number>();
    for (const t of data.teams)
      teamIds.set(
        t.name,
        (
          await db
            .insertInto("teams")
            .values({ name: t.name, department_id: depIds.get(t.department) as number })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id,
      );
    const skillIds = new Map<string, number>();
    for (const name of data.skills)
      skillIds.set(
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

    const agentsByDept = new Map<number, number[]>();
    for (const a of data.agents) {
      const team = data.teams.find((t) => t.name === a.team) as (typeof data.teams)[number];
      const depId = depIds.get(team.department) as number;
      const row = await db
        .insertInto("staff")
        .values({ email: `${a.email}@demo.loopdesk.local`, name: a.name, role: a.role, password_hash: passwordHash })
        .onConflict((oc) => oc.column("email").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!row) continue;
      await db.insertInto("staff_departments").values({ staff_id: row.id, department_id: depId }).execute();
      await db
        .insertInto("team_members")
        .values({ staff_id: row.id, team_id: teamIds.get(a.team) as number })
        .execute();
      await db
        .insertInto("staff_skills")
        .values(a.skills.map(([s, level]) => ({ staff_id: row.id, skill_id: skillIds.get(s) as number, level })))
        .execute();
      agentsByDept.set(depId, [...(agentsByDept.get(depId) ?? []), row.id]);
    }

    const categoryIds = new Map<string, number>();
    for (const [i, c] of data.categories.entries())
      categoryIds.set(
        c.name,
        (
          await db
            .insertInto("categories")
            .values({ name: c.name, department_id: depIds.get(c.department) as number, position: i })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id,
      );
    await db
      .insertInto("custom_field_definitions")
      .values([
        { entity: "ticket", key: "order_no", label: "订单号", type: "text", pattern: "^(DD|JD)\\d{8,12}$", options: "[]", position: 1 },
        { entity: "ticket", key: "device_model", label: "设备型号", type: "text", pattern: null, options: "[]", position: 2 },
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

    const orgIds: number[] = [];
    for (const name of data.companies)
      orgIds.push(
        (await db.insertInto("organizations").values({ name, custom_fields: "{}" }).returning("id").executeTakeFirstOrThrow()).id,
      );

    const tiers = ["normal", "silver", "gold", "vip"] as const;
    const customers: { id: number; tier: string; org: number | null; name: string }[] = [];
    const customerRows = Array.from({ length: customerCount }, (_, i) => {
      const tier = r.weighted(tiers, (t) => ({ normal: 70, silver: 18, gold: 9, vip: 3 })[t]);
      const org = r.next() < 0.25 ? r.pick(orgIds) : null;
      return {
        name: r.pick(data.surnames) + r.pick(data.givenNames),
        tier,
        organization_id: org,
        custom_fields: JSON.stringify({ region: r.pick(data.regions).value }),
        i,
      };
    });
    await chunked(customerRows, 300, async (chunk) => {
      const rows = await db
        .insertInto("customers")
        .values(chunk.map(({ i: _i, ...c }) => ({ ...c, password_hash: passwordHash })))
        .returning(["id", "tier", "organization_id", "name"])
        .execute();
      customers.push(...rows.map((c) => ({ id: c.id, tier: c.tier, org: c.organization_id, name: c.name })));
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

    // Tickets with a plausible life: arrival, assignment, replies, solving and closing.
    const plans = Array.from({ length: ticketCount }, () => planTicket(r, now, customers, agentsByDept, depIds, categoryIds));
    plans.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    await chunked(plans, 250, async (chunk) => {
      const rows = await db
        .insertInto("tickets")
        .values(chunk.map((p) => p.ticket))
        .returning("id")
        .execute();
      const messages: Msg[] = [];
      const events: Ev[] = [];
      rows.forEach((row, i) => {
        for (const m of chunk[i].messages) messages.push({ ...m, ticket_id: row.id });
        for (const e of chunk[i].events) events.push({ ...e, ticket_id: row.id });
      });
      await db.insertInto("ticket_messages").values(messages).execute();
      await db.insertInto("ticket_events").values(events).execute();
      const docs = chunk.map((plan) =>
        searchDocument(plan.ticket.subject, plan.ticket.description, ...plan.messages.map((m) => m.body_text)),
      );
      await sql`insert into ticket_search (ticket_id, document)
        select v.id, to_tsvector('simple', v.doc)
        from (select unnest(${rows.map((x) => x.id)}::int[]) as id, unnest(${docs}::text[]) as doc) v`.execute(db);
    });
    await seedDemoWorkspace(db);
    return { tickets: ticketCount, customers: customerCount, agents: data.agents.length, password: data.DEMO_PASSWORD };
  });
}

function planTicket(
  r: ReturnType<typeof rng>,
  now: Date,
  customers: { id: number; tier: string; org: number | null; name: string }[],
  agentsByDept: Map<number, number[]>,
  depIds: Map<string, number>,
  categoryIds: Map<string, number>,
) {
  const category = r.weighted(data.categories, (c) => c.weight);
  const customer = r.next() < 0.15 ? (r.pick(customers.filter((c) => c.tier !== "normal")) ?? r.pick(customers)) : r.pick(customers);
  const day = Math.floor(r.next() ** 0.9 * 90);
  const hour = r.weighted(
    HOURLY.map((w, h) => ({ w, h })),
    (x) => x.w,
  ).h;
  // Midnight in Asia/Shanghai of `day` days ago, plus the hour (UTC+8).
  const base = new Date(Math.floor((now.getTime() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 - day * DAY);
  let createdAt = new Date(base.getTime() + hour * 3_600_000 + Math.floor(r.next() * 60) * MIN);
  if (createdAt > now) createdAt = new Date(now.getTime() - Math.floor(r.between(5, 120)) * MIN);
  const ageDays = (now.getTime() - createdAt.getTime()) / DAY;
  const depId = depIds.get(category.department) as number;
  const agent = r.pick(agentsByDept.get(depId) ?? [0]) || null;
  const priority =
    customer.tier === "vip"
      ? r.weighted(["normal", "high", "urgent"] as const, (p) => ({ normal: 4, high: 5, urgent: 1 })[p])
      : r.weighted(["low", "normal", "high", "urgent"] as const, (p) => ({ low: 15, normal: 65, high: 16, urgent: 4 })[p]);
  const status: string =
    ageDays > 5
      ? r.next() < 0.93
        ? "closed"
        : r.pick(["pending", "on_hold", "open"])
      : ageDays > 1
        ? r.weighted(
            ["solved", "open", "pending", "on_hold", "closed"],
            (s) => ({ solved: 45, open: 20, pending: 18, on_hold: 7, closed: 10 })[s] ?? 1,
          )
        : r.weighted(["new", "open", "pending", "solved"], (s) => ({ new: 40, open: 35, pending: 15, solved: 10 })[s] ?? 1);
  const channel = r.weighted(
    ["email", "portal", "widget", "phone", "wecom", "api"],
    (c) => ({ email: 30, portal: 25, widget: 15, phone: 15, wecom: 10, api: 5 })[c] ?? 1,
  );

  const messages: Omit<Msg, "ticket_id">[] = [];
  const events: Omit<Ev, "ticket_id">[] = [];
  const cap = (d: Date) => (d > now ? new Date(now.getTime() - 1000) : d);
  let t = createdAt.getTime();
  // Each step happens after the previous one; near "now" steps squeeze together (a second
  // apart) instead of piling up at the same instant, so the history keeps its order.
  const at = (minutesLater: number) => {
    t = Math.max(t + 1000, Math.min(t + Math.max(1, minutesLater) * MIN, now.getTime() - 60_000));
    return cap(new Date(t));
  };
  const ev = (type: string, when: Date, actor: { type: "staff" | "customer" | "system"; id: number | null }, extra: Partial<Ev> = {}) =>
    events.push({
      type,
      actor_type: actor.type,
      actor_id: actor.id,
      created_at: when,
      field: null,
      before: null,
      after: null,
      data: null,
      ...extra,
    });
  const customerActor = { type: "customer" as const, id: customer.id };
  const staffActor = { type: "staff" as const, id: agent };
  const json = JSON.stringify;

  ev("created", createdAt, customerActor, { after: json({ status: "new", priority, channel }) });
  const assigned = status !== "new" || r.next() < 0.4;
  let firstResponseAt: Date | null = null;
  let solvedAt: Date | null = null;
  let closedAt: Date | null = null;
  let lastCustomer: Date = createdAt;
  let lastStaff: Date | null = null;
  let reopenCount = 0;
  if (assigned && agent) ev("assigned", at(r.between(1, 15)), { type: "system", id: null }, { field: "assigneeId", after: json(agent) });
  const staffReply = (body: string, next: string | null, from: string) => {
    const when = at(r.between(10, ageDays > 1 ? 300 : 60));
    messages.push({ visibility: "public", author_type: "staff", author_staff_id: agent, body_text: body, channel, created_at: when });
    ev("message_added", when, staffActor, { data: json({ visibility: "public" }) });
    lastStaff = when;
    if (!firstResponseAt) {
      firstResponseAt = when;
      ev("first_response", when, staffActor);
    }
    if (next && next !== from) ev("status_changed", when, staffActor, { field: "status", before: json(from), after: json(next) });
    return when;
  };
  const customerReply = (body: string) => {
    const when = at(r.between(30, 600));
    messages.push({
      visibility: "public",
      author_type: "customer",
      author_customer_id: customer.id,
      body_text: body,
      channel,
      created_at: when,
    });
    ev("message_added", when, customerActor, { data: json({ visibility: "public" }) });
    lastCustomer = when;
    return when;
  };
  if (status !== "new" && agent) {
    if (r.next() < 0.2) {
      const when = at(r.between(5, 60));
      messages.push({
        visibility: "internal",
        author_type: "staff",
        author_staff_id: agent,
        body_text: r.pick(data.internalNotes),
        channel,
        created_at: when,
      });
      ev("message_added", when, staffActor, { data: json({ visibility: "internal" }) });
    }
    const waiting = status === "pending" || status === "on_hold";
    staffReply(r.pick(category.replies), waiting ? status : "open", "new");
    if (status === "solved" || status === "closed") {
      if (r.next() < 0.35) customerReply(r.pick(data.customerFollowUps));
      solvedAt = staffReply(r.pick(category.replies), "solved", "open");
      if (r.next() < 0.06) {
        const when = customerReply("问题又出现了，麻烦再看一下。");
        ev("status_changed", when, customerActor, {
          field: "status",
          before: json("solved"),
          after: json("open"),
          data: json({ reopened: true }),
        });
        reopenCount = 1;
        solvedAt = staffReply(r.pick(category.replies), "solved", "open");
      }
      if (status === "closed") {
        closedAt = cap(new Date(solvedAt.getTime() + 4 * DAY));
        ev(
          "status_changed",
          closedAt,
          { type: "system", id: null },
          { field: "status", before: json("solved"), after: json("closed"), data: json({ reason: "auto_close" }) },
        );
      }
    }
  }
  const updatedAt = new Date(Math.max(...events.map((e) => (e.created_at as Date).getTime())));
  const needsOrder = category.name === "退换货" || category.name === "物流查询";
  return {
    createdAt,
    messages,
    events,
    ticket: {
      subject: r.pick(category.subjects),
      description: r.pick(category.details),
      status,
      priority,
      channel,
      category_id: categoryIds.get(category.name) as number,
      customer_id: customer.id,
      organization_id: customer.org,
      department_id: depId,
      assignee_id: assigned ? agent : null,
      tags: customer.tier === "vip" ? ["VIP"] : r.next() < 0.1 ? ["重复问题"] : [],
      custom_fields: JSON.stringify(needsOrder ? { order_no: `DD${20260000 + Math.floor(r.next() * 9_999_999)}` } : {}),
      first_response_at: firstResponseAt,
      solved_at: status === "solved" || status === "closed" ? solvedAt : null,
      closed_at: closedAt,
      reopen_count: reopenCount,
      last_customer_message_at: lastCustomer,
      last_staff_reply_at: lastStaff,
      created_at: createdAt,
      updated_at: updatedAt,
    },
  };
}
