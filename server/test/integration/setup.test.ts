import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstStart } from "../../src/modules/setup/first-start";
import { refreshAnalyticsNow } from "../../src/modules/analytics/analytics-jobs";
import { sweepRouting } from "../../src/modules/routing/routing-jobs";
import { newDemoRequest } from "../support/demo-request";
import { expectTicketInvariants } from "../support/invariants";
import { PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOOPDESK_DEMO: "false", LOOPDESK_ADMIN_EMAIL: "owner@example.cn" });
});
afterAll(() => t.close());

describe("first start", () => {
  it("creates the administrator once, printing a generated password only that time", async () => {
    const printed: string[] = [];
    expect((await firstStart(t.ctx, (l) => printed.push(l))).created).toBe(true);
    const passwordLine = printed.find((l) => l.includes("password:"));
    expect(passwordLine).toBeDefined();
    const password = (passwordLine as string).split("password:")[1].trim();
    const login = await t.anonymous.post("/api/v1/auth/login", { email: "owner@example.cn", password });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.role).toBe("admin");
    const again: string[] = [];
    expect((await firstStart(t.ctx, (l) => again.push(l))).created).toBe(false);
    expect(again).toEqual([]);
    const tickets = await t.ctx.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(tickets.n)).toBe(0); // LOOPDESK_DEMO=false
  });
});

describe("demo workspace", () => {
  it("adds consistent Chinese demo data: departments, agents, customers and tickets with their history", async () => {
    // A first start killed after it marked the workspace initialized, before the demo was seeded,
    // leaves the demo's marker: the next start seeds it (once, however many processes start).
    await t.ctx.db.insertInto("settings").values({ key: "demo.pending", value: "{}" }).execute();
    const printed: string[] = [];
    const [first, second] = await Promise.all([
      firstStart(t.ctx, (l) => printed.push(l), { tickets: 400, customers: 60 }),
      firstStart(t.ctx, (l) => printed.push(l), { tickets: 400, customers: 60 }),
    ]);
    const summary = first.demo ?? second.demo;
    expect(summary).toMatchObject({ tickets: 400, customers: 60, agents: 15 });
    expect([first.demo, second.demo].filter(Boolean)).toHaveLength(1);
    expect(printed.filter((l) => l.includes("Demo workspace: 400 tickets"))).toHaveLength(1);
    // Seeding takes a while on a first start: it says what it is doing as it goes.
    expect(printed.filter((l) => l.startsWith("  Seeding the demo: ")).map((l) => l.replace(/… \(\d+ s\)$/, ""))).toEqual([
      "  Seeding the demo: departments, teams and agents",
      "  Seeding the demo: 60 customers",
      "  Seeding the demo: 400 tickets with their history",
      "  Seeding the demo: follow-ups, processes, knowledge, audit, privacy, imports and channels",
      "  Seeding the demo: SLA clocks and priorities",
      "  Seeding the demo: reports",
    ]);
    expect(await t.ctx.db.selectFrom("settings").select("key").where("key", "=", "demo.pending").executeTakeFirst()).toBeUndefined();
    const departments = (await t.ctx.db.selectFrom("departments").select("name").execute()).map((d) => d.name);
    expect(departments).toEqual(expect.arrayContaining(["售前咨询", "售后服务", "技术支持", "仓储物流", "财务"]));
    const tiers = (await t.ctx.db.selectFrom("customers").select("tier").distinct().execute()).map((c) => c.tier);
    expect(tiers).toEqual(expect.arrayContaining(["normal", "silver", "gold"]));
    await expectTicketInvariants(t.ctx.db, {
      // (an open one its agent took up by a note or a process, without a reply yet, is not answered)
      "answered tickets have a first response": `select id from tickets t where status <> 'new' and first_response_at is null and assignee_id is not null and not (status = 'open' and exists (select 1 from ticket_events e where e.ticket_id = t.id and e.actor_type = 'staff' and e.actor_id = t.assignee_id and e.type in ('message_added', 'process_started', 'process_step_completed')))`,
      // …except the one whose personal-information erasure the demo shows.
      "every customer has an email": `select c.id from customers c where c.erased_at is null and not exists (select 1 from customer_identities i where i.customer_id = c.id and i.kind = 'email')`,
      "one customer was erased, with nothing personal left": `select c.id from customers c where c.erased_at is not null and (c.name <> '已删除的客户' or exists (select 1 from customer_identities i where i.customer_id = c.id) or (select count(*) from customers where erased_at is not null) <> 1)`,
      // …but last year's spreadsheet log, imported a month ago (history: never routed).
      "all within the last 90 days": `select id from tickets t where (created_at < now() - interval '91 days' or created_at > now()) and not exists (select 1 from import_records i where i.entity = 'tickets' and i.local_id = t.id)`,
      "routed tickets have a team": `select id from tickets t where assignee_id is not null and team_id is null and not exists (select 1 from import_records i where i.entity = 'tickets' and i.local_id = t.id)`,
      "the imported history is all from before the import (nothing fired on it since)": `select e.id from ticket_events e where e.created_at > now() - interval '30 days' and exists (select 1 from import_records i where i.entity = 'tickets' and i.local_id = e.ticket_id)`,
      "the imported log is last year's and finished": `select id from tickets t where exists (select 1 from import_records i where i.entity = 'tickets' and i.local_id = t.id) and (t.created_at > now() - interval '180 days' or t.status not in ('solved', 'closed') or t.first_response_at is null)`,
      "a transfer is in the history of every transferred ticket": `select t.id from tickets t where t.transfer_count > 0 and not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'transferred')`,
      "every rating is in the history": `select s.ticket_id from csat_surveys s where s.rating is not null and not exists (select 1 from ticket_events e where e.ticket_id = s.ticket_id and e.type = 'csat_received')`,
      "nobody holds more open tickets than their capacity": `select st.staff_id from agent_states st where st.open_count > st.capacity`,
      // The newest tickets' processes started minutes after them, not in the future.
      "nothing happened after the seeding": `select id from tickets where updated_at > now() union all select ticket_id from ticket_events where created_at > now() union all select ticket_id from process_instances where started_at > now()`,
    });
    const [imported, zendesk] = await t.ctx.db.selectFrom("import_jobs").selectAll().orderBy("id").execute();
    expect(imported).toMatchObject({ status: "done", created: 56, failed: 3, file_name: "2025年工单台账.xlsx" });
    // The overseas desk's Zendesk export: conversations with internal notes, a former agent's replies under her name.
    expect(zendesk).toMatchObject({ source: "zendesk", status: "done", created: 24 });
    const fromZendesk = await t.ctx.db
      .selectFrom("ticket_messages as m")
      .innerJoin("import_records as i", (j) =>
        j.onRef("i.local_id", "=", "m.ticket_id").on("i.source", "=", "zendesk").on("i.entity", "=", "tickets"),
      )
      .select(["m.visibility", "m.author_name", "m.author_staff_id"])
      .execute();
    expect(fromZendesk.some((m) => m.visibility === "internal")).toBe(true);
    expect(fromZendesk.some((m) => m.author_name === "Amy 陈（已离职）" && m.author_staff_id === null)).toBe(true);
    expect(fromZendesk.filter((m) => m.author_staff_id !== null).length).toBeGreaterThan(10);
    const agent = await t.signIn("wangfang@demo.loopdesk.local", "loopdesk-demo");
    const found = (await agent.get(`/api/v1/tickets?q=${encodeURIComponent("退货")}&limit=200`)).json().items;
    expect(found.length).toBeGreaterThan(0);

    // SLA: a working calendar, three policies, and clocks on the open tickets once the jobs ran.
    await t.ctx.jobs.drain();
    expect((await agent.get("/api/v1/sla-policies")).json().items.map((p: { name: string }) => p.name)).toEqual([
      "VIP 客户",
      "紧急工单",
      "标准",
    ]);
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const breached = (await admin.get("/api/v1/tickets/count?sla=breached")).json().count;
    const open = (await admin.get("/api/v1/tickets/count?status=new,open,pending,on_hold")).json().count;
    expect(breached).toBeLessThanOrEqual(open);
    // Whatever the hour it was seeded at, a few requests are still waiting past their target (已超时 is never empty).
    expect(breached).toBeGreaterThanOrEqual(3);
    expect((await agent.get("/api/v1/canned-replies")).json().items.length).toBeGreaterThanOrEqual(4);
    // The triggers the demo's follow-up visits come from, and a complaint escalation.
    expect((await admin.get("/api/v1/triggers")).json().items.map((x: { name: string }) => x.name)).toEqual([
      "VIP 客户工单加急",
      "投诉工单通知主管",
      "VIP 解决后回访",
      "差评回访",
    ]);
    // The bell is not empty: the last day's urges and misses for the supervisor, assignments and
    // replies for an agent, the latest unread.
    const bell = (await agent.get("/api/v1/notifications")).json() as { unreadCount: number; items: { type: string }[] };
    expect(bell.items.length).toBeGreaterThan(0);
    expect(bell.unreadCount).toBeLessThanOrEqual(bell.items.length);
    const lina = await t.signIn("lina@demo.loopdesk.local", "loopdesk-demo");
    const agentTypes = new Set(((await lina.get("/api/v1/notifications")).json().items as { type: string }[]).map((n) => n.type));
    expect(agentTypes.has("assigned") || agentTypes.has("customer_replied")).toBe(true);
    // The past is not announced again: the breaches and escalations of the history are already recorded.
    expect((await agent.get("/api/v1/notifications")).json().items.filter((n: { type: string }) => n.type === "escalated")).toEqual([]);

    // Processes: the five templates published, instances in every state, steps waiting in queues.
    const processes = (await admin.get("/api/v1/processes")).json().items as {
      key: string;
      currentVersion: number;
      runningInstances: number;
    }[];
    expect(processes.map((p) => p.key).sort()).toEqual([
      "complaint_escalation",
      "cross_border_return",
      "device_repair",
      "invoice_reissue",
      "parallel_refund",
    ]);
    expect(processes.every((p) => p.currentVersion === 1)).toBe(true);
    const states = new Set((await t.ctx.db.selectFrom("process_instances").select(["status"]).execute()).map((s) => s.status));
    expect(states).toContain("completed");
    // 智能分类: a model learned from the demo's handled tickets, measured on the held-out ones.
    const classification = (await admin.get("/api/v1/classification")).json();
    expect(classification.model.examples).toBeGreaterThan(20);
    expect(classification.model.top1).toBeGreaterThan(0.6);
    // …and, as on a real desk whose labels are not perfectly consistent, not right every time.
    expect(classification.model.top1).toBeLessThan(1);
    // Running ones sit on the open tickets of the processes' categories (a small demo may have none).
    const openThere = await t.ctx.db
      .selectFrom("tickets as t")
      .innerJoin("categories as c", "c.id", "t.category_id")
      .select("t.id")
      .where("c.name", "in", ["退换货", "发票", "设备报修", "投诉建议"])
      .where("t.status", "not in", ["solved", "closed"])
      .execute();
    if (openThere.length > 0) {
      expect(states).toContain("running");
      const tasks = (await admin.get("/api/v1/tasks?scope=all")).json().items as { kind: string; processName: string }[];
      expect(tasks.length).toBeGreaterThan(0);
    }
    // Replayed history reads in the past, never ahead of the ticket.
    await expectTicketInvariants(t.ctx.db, {
      "process steps start after their ticket": `select p.id from process_tasks p join tickets t on t.id = p.ticket_id where p.started_at < t.created_at or p.started_at > now()`,
      "finished steps finish after they start": `select id from process_tasks where completed_at < started_at`,
    });
  });

  it("has every report filled with plausible numbers: ratings, first-contact resolutions, transfers, reopenings, SLA misses, incomplete requests, teams", async () => {
    await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const day = (d: Date) => d.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    const range = `from=${day(new Date(Date.now() - 89 * 86_400_000))}&to=${day(new Date())}`;
    const o = (await admin.get(`/api/v1/analytics/overview?${range}`)).json();
    const rate = (x: { rate: number | null }) => x.rate ?? -1;
    expect(o.totals.created).toBe(400);
    expect(o.totals.csat.count).toBeGreaterThan(50);
    expect(o.totals.csat.average).toBeGreaterThan(3.5);
    expect(o.totals.csat.average).toBeLessThan(4.8);
    expect(rate(o.totals.firstContactResolution)).toBeGreaterThan(0.25);
    expect(rate(o.totals.firstContactResolution)).toBeLessThan(0.75);
    expect(rate(o.totals.transferred)).toBeGreaterThan(0.03);
    expect(rate(o.totals.transferred)).toBeLessThan(0.3);
    expect(rate(o.totals.reopened)).toBeGreaterThan(0.005);
    expect(rate(o.totals.reopened)).toBeLessThan(0.15);
    expect(rate(o.totals.completeAtCreation)).toBeGreaterThan(0.7);
    expect(rate(o.totals.completeAtCreation)).toBeLessThan(0.99);
    for (const target of ["firstResponse", "resolution"] as const) {
      expect(rate(o.totals.sla[target]), target).toBeGreaterThan(0.6);
      expect(rate(o.totals.sla[target]), target).toBeLessThan(1);
    }
    // Every ticket went to a team; the "(未设置)" row is gone.
    expect(o.byTeam.every((x: { teamId: number }) => x.teamId !== 0)).toBe(true);
    const agents = (await admin.get(`/api/v1/analytics/agents?${range}`)).json().items as { name: string; fcrRate: number | null }[];
    expect(agents.filter((a) => (a.fcrRate ?? 0) > 0).length).toBeGreaterThan(5);
    // The knowledge report: visits that ended without a request, articles that resolved tickets, contributors.
    const kb = (await admin.get(`/api/v1/kb/report?${range}`)).json();
    expect(kb.deflection.rate).toBeGreaterThan(0.4);
    expect(kb.deflection.rate).toBeLessThan(0.9);
    expect(kb.topArticles[0].resolved).toBeGreaterThanOrEqual(3); // a 400-ticket demo: a few a month
    expect(kb.contributors.filter((c: { written: number }) => c.written > 0).length).toBeGreaterThan(2);
    const states = (await admin.get("/api/v1/kb/articles")).json().items as { status: string; stale: boolean; locales: string[] }[];
    expect(new Set(states.map((a) => a.status))).toEqual(new Set(["draft", "review", "published"]));
    expect(states.some((a) => a.stale) && states.some((a) => a.locales.includes("en"))).toBe(true);
    // The audit log holds a month of sign-ins and an SLA policy tightened last week, with before and after.
    const logins = (await admin.get("/api/v1/audit-log?action=auth.login&outcome=ok&limit=200")).json().items;
    expect(logins.length).toBeGreaterThan(100);
    // Each signs in on the days of their shifts (高洁 on weekends only), shortly before it begins.
    const shifts = new Map(
      (await t.ctx.db.selectFrom("agent_states").select(["staff_id", "shifts"]).execute()).map((a) => [
        a.staff_id,
        a.shifts as { weekday: number; start: string }[],
      ]),
    );
    const seeded = await t.ctx.db
      .selectFrom("audit_log")
      .select(["actor_id", "at"])
      .where("action", "=", "auth.login")
      .where("outcome", "=", "ok")
      .where("ip", "like", "10.12.%")
      .execute();
    const offShift = seeded.filter((l) => {
      const own = shifts.get(l.actor_id as number) ?? [];
      if (own.length === 0) return false;
      const local = new Date(l.at.getTime() + 8 * 3_600_000); // the workspace's day (UTC+8)
      const shift = own.find((x) => x.weekday === (local.getUTCDay() || 7));
      if (!shift) return true;
      const [h, m] = shift.start.split(":").map(Number) as [number, number];
      const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
      return minutes < h * 60 + m - 30 || minutes > h * 60 + m;
    });
    expect(seeded.length).toBeGreaterThan(100);
    expect(offShift).toEqual([]);
    const sla = (await admin.get("/api/v1/audit-log?action=sla-policies.update")).json().items[0];
    expect(sla.before.first_response_minutes).toBe(60);
    expect(sla.after.first_response_minutes).toBe(30);
    expect((await admin.get("/api/v1/audit-log?outcome=failed")).json().items.length).toBeGreaterThan(3);
    // A new ticket's page suggests an article and similar solved tickets.
    const ticket = (await admin.get(`/api/v1/tickets?q=${encodeURIComponent("退款什么时候到账")}&limit=1`)).json().items[0];
    const recs = (await admin.get(`/api/v1/tickets/${ticket.id}/recommendations`)).json();
    expect(recs.articles.length).toBeGreaterThan(0);
    expect(recs.tickets.length).toBeGreaterThan(0);
  });

  it("assigns a new ticket at once, whatever the hour: the after-sales desk is staffed around the clock", async () => {
    await sweepRouting(t.ctx, t.ctx.db);
    await t.ctx.jobs.drain();
    const { statusCode, ticket } = await newDemoRequest(t, { email: "first-time@example.cn", name: "孟女士" });
    expect(statusCode).toBe(201);
    expect(ticket.assigneeId).not.toBeNull();
    expect(ticket.routingStatus).toBe("assigned");
  });
});

describe("API documentation", () => {
  it("its triggers act at once after seeding: a VIP customer's solved request gets its follow-up visit", async () => {
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const vipCustomer = (await admin.post("/api/v1/customers", { name: "沈总", email: "shen@vip.example.cn", tier: "vip" })).json();
    const vip = (
      await admin.post("/api/v1/tickets", { subject: "企业采购有没有优惠", description: "想采购 50 台", customer: { id: vipCustomer.id } })
    ).json();
    expect((await admin.post(`/api/v1/tickets/${vip.id}/messages`, { body: "已处理完毕", status: "solved" })).statusCode).toBe(201);
    const planned = async () =>
      ((await admin.get(`/api/v1/tickets/${vip.id}/events`)).json().items as { type: string; data: { reason?: string } }[]).find(
        (e) => e.type === "visit_created",
      )?.data.reason;
    await expect
      .poll(async () => {
        await t.ctx.jobs.drain();
        return planned();
      })
      .toBe("VIP 客户解决后回访");
    expect((await admin.get(`/api/v1/tickets/${vip.id}`)).json().tags).toContain("VIP");
  });

  it("serves an OpenAPI 3.1 document built from the request schemas, and the docs page", async () => {
    const res = await t.anonymous.get("/api/v1/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.1.0");
    const create = doc.paths["/api/v1/tickets"].post;
    expect(create.requestBody.content["application/json"].schema.properties).toHaveProperty("subject");
    expect(create.responses["201"]).toBeDefined();
    expect(doc.paths["/api/v1/tickets/{id}"].patch.parameters.map((p: { name: string }) => p.name)).toContain("id");
    expect(doc.paths["/api/v1/tickets"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["status", "q", "cursor"]),
    );
    const docs = await t.anonymous.get("/api/docs");
    expect(docs.statusCode).toBe(200);
    expect(docs.headers["content-type"]).toContain("text/html");
    expect((await t.anonymous.get("/api/docs/assets/swagger-ui-bundle.js")).statusCode).toBe(200);
    const health = await t.anonymous.get("/healthz");
    expect(health.json()).toMatchObject({ status: "ok" });
  });
});
