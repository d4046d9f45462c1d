import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rebuildAnalytics, refreshAnalyticsNow } from "../../src/modules/analytics/analytics-jobs";
import { recomputeTicketSla } from "../../src/modules/sla/recompute-ticket-sla";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

/**
 * A known history, acted out through the API at exact (Asia/Shanghai) times, and every metric
 * checked against values worked out by hand below.
 */
let t: TestApp;
let admin: Client;
let agent1: Client;
let agent2: Client;
const ids = {} as Record<string, number>;
const at = async (iso: string) => {
  vi.setSystemTime(new Date(`${iso}+08:00`));
  await t.ctx.jobs.drain();
};
const RANGE = "from=2026-11-16&to=2026-11-18";

beforeAll(async () => {
  t = await createTestApp();
  const d1 = await t.factory.department("售后部");
  const d2 = await t.factory.department("技术部");
  const a1 = await t.factory.staff({ role: "agent", name: "张三", departmentIds: [d1.id, d2.id] });
  const a2 = await t.factory.staff({ role: "agent", name: "李四", departmentIds: [d1.id, d2.id] });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  agent1 = await t.signIn(a1.email, PASSWORD);
  agent2 = await t.signIn(a2.email, PASSWORD);
  const [cA, cB, cC] = [await t.factory.customer(), await t.factory.customer(), await t.factory.customer()];
  const portalA = await t.signIn(cA.email, PASSWORD, "customer");
  const portalB = await t.signIn(cB.email, PASSWORD, "customer");
  Object.assign(ids, { d1: d1.id, d2: d2.id, a1: a1.id, a2: a2.id });

  vi.useFakeTimers({ toFake: ["Date"] });
  await at("2026-11-16T08:00:00");
  const weekday = [{ start: "09:00", end: "18:00" }];
  const calendar = (
    await admin.post("/api/v1/calendars", {
      name: "工作日",
      weekly: [[], weekday, weekday, weekday, weekday, weekday, []],
      chinaOfficial: false,
    })
  ).json();
  expect(
    (
      await admin.post("/api/v1/sla-policies", {
        name: "标准",
        conditions: {},
        firstResponseMinutes: 60,
        resolutionMinutes: 600,
        businessHours: true,
        calendarId: calendar.id,
        pauseOnPending: true,
      })
    ).statusCode,
  ).toBe(201);
  const catX = (await admin.post("/api/v1/categories", { name: "退换货" })).json();
  const catY = (await admin.post("/api/v1/categories", { name: "安装" })).json();
  Object.assign(ids, { catX: catX.id, catY: catY.id });
  const create = async (customerId: number, categoryId: number, channel: string, departmentId: number, assigneeId: number | null) =>
    (
      await admin.post("/api/v1/tickets", {
        subject: `工单 ${channel}`,
        description: "x",
        customer: { id: customerId },
        categoryId,
        channel,
        departmentId,
        assigneeId,
      })
    ).json().id as number;
  const reply = (c: Client, id: number, status?: string) =>
    c.post(`/api/v1/tickets/${id}/messages`, { body: "您好", visibility: "public", ...(status ? { status } : {}) });

  // A: answered and solved in one reply after 30 min (FCR), rated 5.
  await at("2026-11-16T10:00:00");
  ids.A = await create(cA.id, catX.id, "email", d1.id, a1.id);
  await at("2026-11-16T10:30:00");
  expect((await reply(agent1, ids.A, "solved")).statusCode).toBe(201);
  await at("2026-11-16T12:00:00");
  expect((await portalA.post(`/api/v1/tickets/${ids.A}/csat`, { rating: 5 })).statusCode).toBe(201);
  // B: late first answer (breach), transferred, paused, solved, reopened, solved again, rated 2.
  await at("2026-11-16T17:00:00");
  ids.B = await create(cB.id, catY.id, "phone", d1.id, a1.id);
  // C: never answered (backlog), another department.
  await at("2026-11-17T09:00:00");
  ids.C = await create(cC.id, catX.id, "email", d2.id, null);
  await at("2026-11-17T09:30:00");
  expect((await reply(agent1, ids.B)).statusCode).toBe(201);
  await at("2026-11-17T10:00:00");
  expect((await admin.patch(`/api/v1/tickets/${ids.B}`, { assigneeId: a2.id, status: "pending" })).statusCode).toBe(200);
  await at("2026-11-17T14:00:00");
  await portalB.post(`/api/v1/tickets/${ids.B}/messages`, { body: "还是不行" });
  await at("2026-11-17T15:00:00");
  expect((await reply(agent2, ids.B, "solved")).statusCode).toBe(201);
  // D: the same customer and category as A two days later: a repeat.
  await at("2026-11-18T09:00:00");
  ids.D = await create(cA.id, catX.id, "email", d1.id, a1.id);
  await at("2026-11-18T10:00:00");
  await portalB.post(`/api/v1/tickets/${ids.B}/messages`, { body: "又坏了" });
  await at("2026-11-18T11:00:00");
  expect((await reply(agent2, ids.B, "solved")).statusCode).toBe(201);
  await at("2026-11-18T12:00:00");
  expect((await portalB.post(`/api/v1/tickets/${ids.B}/csat`, { rating: 2 })).statusCode).toBe(201);
  // The SLA sweep at 12:00 (every minute in a running server): C and D were never answered, so
  // their first-response targets are missed (D's was already recorded at 10:00 when its clock was last computed).
  await t.ctx.db.transaction().execute((trx) => recomputeTicketSla(t.ctx, trx, [ids.A, ids.B, ids.C, ids.D] as number[]));
  vi.useRealTimers();
  await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);
});
afterAll(() => t.close());

describe("analytics from the ticket history", () => {
  it("computes every overview metric as worked out by hand", async () => {
    const res = await admin.get(`/api/v1/analytics/overview?${RANGE}`);
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.percentiles).toBe("exact");
    expect(o.totals).toMatchObject({
      created: 4,
      resolved: 2,
      backlog: 2,
      // FRT: A 30 min; B Mon 17:00 → Tue 09:30 = 59,400 s, of which working time 17–18 + 9–9:30 = 5,400 s.
      firstResponse: {
        calendar: { count: 2, mean: 30600, median: 30600, p90: 53640 },
        business: { count: 2, mean: 3600, median: 3600, p90: 5040 },
      },
      // Resolution (to the final solve): A 1,800 s; B Mon 17:00 → Wed 11:00 = 151,200 s; working 1 + 9 + 2 h = 43,200 s.
      resolution: {
        calendar: { count: 2, mean: 76500, median: 76500, p90: 136260 },
        business: { count: 2, mean: 22500, median: 22500, p90: 39060 },
      },
      firstContactResolution: { count: 1, of: 2, rate: 0.5 },
      transferred: { count: 1, of: 2, rate: 0.5 },
      reopened: { count: 1, of: 2, rate: 0.5 },
      repeat: { count: 1, of: 4, rate: 0.25 },
      // Every ticket here was created with its template complete (API and portal forms enforce it).
      completeAtCreation: { count: 4, of: 4, rate: 1 },
      csat: { count: 2, average: 3.5, positive: { count: 1, of: 2 }, negative: { count: 1, of: 2 } },
      // Each target counts when its outcome is known: A met; B missed (Tue 09:00); C and D never
      // answered: missed by the 12:00 sweep. Resolution: A and B met; C's was due Wed 10:00 (600
      // working minutes), missed; D's is not due yet.
      sla: { firstResponse: { count: 1, of: 4, rate: 0.25 }, resolution: { count: 2, of: 3, rate: 2 / 3 } },
      // A: new 1,800 s. B: new 59,400; open 1,800 + 3,600 + 3,600; pending 14,400. Means over the 2 solved.
      timeInStatus: { new: 30600, open: 4500, pending: 7200, on_hold: 0 },
    });
    expect(o.daily).toEqual([
      { day: "2026-11-16", created: 2, resolved: 1, backlog: 1, frtMean: 1800, csatAverage: 5, slaBreached: 0 },
      { day: "2026-11-17", created: 1, resolved: 0, backlog: 1, frtMean: 59400, csatAverage: null, slaBreached: 1 },
      // The 18th: C's first response and resolution, D's first response missed.
      { day: "2026-11-18", created: 1, resolved: 1, backlog: 2, frtMean: null, csatAverage: 2, slaBreached: 3 },
    ]);
    // Every ticket of this history was complete when created (the total above), on each channel.
    expect(o.byChannel).toEqual([
      { channel: "email", created: 3, resolved: 1, completeAtCreation: { count: 3, of: 3, rate: 1 } },
      { channel: "phone", created: 1, resolved: 1, completeAtCreation: { count: 1, of: 1, rate: 1 } },
    ]);
    expect(o.byCategory).toEqual([
      { categoryId: ids.catX, created: 3, resolved: 1 },
      { categoryId: ids.catY, created: 1, resolved: 1 },
    ]);
    expect(o.byDepartment).toEqual([
      { departmentId: ids.d1, created: 3, resolved: 2 },
      { departmentId: ids.d2, created: 1, resolved: 0 },
    ]);
    const cells = o.heatmap.flatMap((row: number[], dow: number) => row.flatMap((n, h) => (n ? [`${dow}:${h}=${n}`] : [])));
    expect(cells).toEqual(["0:10=1", "0:17=1", "1:9=1", "2:9=1"]);
  });

  it("slices by department, channel and category, and by day range", async () => {
    const tech = (await admin.get(`/api/v1/analytics/overview?${RANGE}&departmentId=${ids.d2}`)).json();
    expect(tech.totals).toMatchObject({ created: 1, resolved: 0, backlog: 1 });
    const phone = (await admin.get(`/api/v1/analytics/overview?${RANGE}&channel=phone`)).json();
    expect(phone.totals).toMatchObject({ created: 1, resolved: 1, backlog: 0, reopened: { count: 1, of: 1 } });
    // Two slices at once: read from the full combinations.
    const techEmail = (await admin.get(`/api/v1/analytics/overview?${RANGE}&departmentId=${ids.d2}&channel=email`)).json();
    expect(techEmail.totals).toMatchObject({ created: 1, resolved: 0, backlog: 1 });
    expect(techEmail.byCategory).toEqual([{ categoryId: ids.catX, created: 1, resolved: 0 }]);
    const salesPhone = (await admin.get(`/api/v1/analytics/overview?${RANGE}&departmentId=${ids.d1}&channel=phone`)).json();
    expect(salesPhone.totals).toMatchObject({ created: 1, resolved: 1, reopened: { count: 1, of: 1 } });
    const monday = (await admin.get("/api/v1/analytics/overview?from=2026-11-16&to=2026-11-16")).json();
    expect(monday.totals).toMatchObject({ created: 2, resolved: 1, backlog: 1, csat: { count: 1, average: 5 } });
    const bad = await admin.get("/api/v1/analytics/overview?from=2026-11-18&to=2026-11-16");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("validation_failed");
  });

  it("slices by the team tickets were routed to, alone and with other slices, down to the tickets", async () => {
    const team = (await admin.post("/api/v1/teams", { name: "二线支持", departmentId: ids.d1 })).json();
    vi.useFakeTimers({ toFake: ["Date"] });
    await at("2026-11-20T10:00:00");
    const open = async (channel: string) =>
      (
        await admin.post("/api/v1/tickets", { subject: `团队 ${channel}`, customer: { email: `team-${channel}@example.com` }, channel })
      ).json().id as number;
    const [routed, other] = [await open("email"), await open("phone")];
    await at("2026-11-20T10:05:00");
    expect((await admin.post(`/api/v1/tickets/${routed}/transfer`, { teamId: team.id, reason: "需要二线" })).statusCode).toBe(200);
    vi.useRealTimers();
    await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);

    const day = "from=2026-11-20&to=2026-11-20";
    const all = (await admin.get(`/api/v1/analytics/overview?${day}`)).json();
    expect(all.byTeam).toEqual(
      expect.arrayContaining([
        { teamId: team.id, created: 1, resolved: 0 },
        { teamId: 0, created: 1, resolved: 0 },
      ]),
    );
    const mine = (await admin.get(`/api/v1/analytics/overview?${day}&teamId=${team.id}`)).json();
    expect(mine.totals).toMatchObject({ created: 1, backlog: 1 });
    expect(mine.byChannel).toEqual([expect.objectContaining({ channel: "email", created: 1 })]);
    expect((await admin.get(`/api/v1/analytics/overview?${day}&teamId=${team.id}&channel=phone`)).json().totals.created).toBe(0);
    expect((await admin.get(`/api/v1/analytics/overview?${day}&teamId=0&channel=phone`)).json().totals.created).toBe(1);
    const drill = (await admin.get(`/api/v1/analytics/tickets?${day}&metric=created&teamId=${team.id}`)).json();
    expect(drill.items.map((x: { id: number }) => x.id)).toEqual([routed]);
    expect(other).not.toBe(routed);
  });

  it("times each stage: the working time solved tickets spent in each department they passed through", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await at("2026-11-21T10:00:00");
    const created = await admin.post("/api/v1/tickets", {
      subject: "跨部门",
      customer: { email: "stages@example.com" },
      departmentId: ids.d1,
    });
    const id = created.json().id as number;
    await at("2026-11-21T12:00:00");
    expect((await admin.patch(`/api/v1/tickets/${id}`, { departmentId: ids.d2 })).statusCode).toBe(200);
    await at("2026-11-21T15:00:00");
    expect(
      (await admin.post(`/api/v1/tickets/${id}/messages`, { body: "已处理", visibility: "public", status: "solved" })).statusCode,
    ).toBe(201);
    vi.useRealTimers();
    await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);
    const o = (await admin.get("/api/v1/analytics/overview?from=2026-11-21&to=2026-11-21")).json();
    // 售后部 10:00–12:00, then 技术部 12:00–15:00.
    expect(o.stages).toEqual([
      { departmentId: ids.d1, tickets: 1, meanSeconds: 2 * 3600 },
      { departmentId: ids.d2, tickets: 1, meanSeconds: 3 * 3600 },
    ]);
    // The known history's two solved tickets stayed in 售后部: their stage time is their time in the working statuses.
    const known = (await admin.get(`/api/v1/analytics/overview?${RANGE}`)).json();
    expect(known.stages).toEqual([{ departmentId: ids.d1, tickets: 2, meanSeconds: 30600 + 4500 + 7200 }]);
    expect((await admin.get(`/api/v1/analytics/overview?${RANGE}&channel=email`)).json().stages).toBeNull();
    // Each stage opens the tickets that passed through it.
    const through = async (day: string, departmentId: number) =>
      (await admin.get(`/api/v1/analytics/tickets?from=${day}&to=${day}&metric=stage&stageDepartmentId=${departmentId}`))
        .json()
        .items.map((x: { id: number }) => x.id);
    expect(await through("2026-11-21", ids.d1)).toEqual([id]);
    expect(await through("2026-11-21", ids.d2)).toEqual([id]);
    expect(await through("2026-11-18", ids.d2)).toEqual([]);
    expect(await through("2026-11-18", ids.d1)).toEqual([ids.B]);
  });

  it("reports per agent and per team, and each agent sees their own page", async () => {
    const agents = (await admin.get(`/api/v1/analytics/agents?${RANGE}`)).json().items;
    const one = agents.find((a: { agentId: number }) => a.agentId === ids.a1);
    const two = agents.find((a: { agentId: number }) => a.agentId === ids.a2);
    expect(one).toMatchObject({
      name: "张三",
      handled: 1,
      firstResponses: 2,
      frtMean: 30600,
      csatCount: 1,
      csatAverage: 5,
      slaBreached: 1,
      load: 1,
    });
    expect(two).toMatchObject({
      name: "李四",
      handled: 1,
      firstResponses: 0,
      resolutionMean: 151200,
      reopenRate: 1,
      csatAverage: 2,
      load: 0,
    });
    const team = (await admin.post("/api/v1/teams", { name: "一线", departmentId: ids.d1, memberIds: [ids.a1, ids.a2] })).json();
    const teams = (await admin.get(`/api/v1/analytics/teams?${RANGE}`)).json().items;
    expect(teams.find((x: { teamId: number }) => x.teamId === team.id)).toMatchObject({
      members: 2,
      handled: 2,
      firstResponses: 2,
      csatAverage: 3.5,
      load: 1,
    });
    const mine = (await agent2.get(`/api/v1/analytics/me?${RANGE}`)).json();
    expect(mine.me).toMatchObject({ agentId: ids.a2, handled: 1 });
    expect(mine.teams.map((x: { teamId: number }) => x.teamId)).toEqual([team.id]);
  });

  it("opens the tickets behind each number, and exports them; agents only their own", async () => {
    const drill = async (q: string) =>
      (await admin.get(`/api/v1/analytics/tickets?${RANGE}&${q}`)).json().items.map((x: { id: number }) => x.id);
    expect(await drill("metric=created")).toEqual([ids.D, ids.C, ids.B, ids.A]);
    expect(await drill("metric=reopened")).toEqual([ids.B]);
    expect(await drill("metric=repeat")).toEqual([ids.D]);
    expect(await drill("metric=backlog")).toEqual([ids.D, ids.C]);
    expect(await drill("metric=fcr")).toEqual([ids.A]);
    expect(await drill("metric=sla_first_response_breached")).toEqual([ids.D, ids.C, ids.B]);
    expect(await drill("metric=sla_resolution_breached")).toEqual([ids.C]);
    expect(await drill("metric=csat_negative")).toEqual([ids.B]);
    expect(await drill(`metric=first_response&agentId=${ids.a1}`)).toEqual([ids.B, ids.A]);
    const page = (await admin.get(`/api/v1/analytics/tickets?${RANGE}&metric=created&limit=3`)).json();
    expect(page.total).toBe(4);
    const rest = (await admin.get(`/api/v1/analytics/tickets?${RANGE}&metric=created&limit=3&cursor=${page.nextCursor}`)).json();
    expect(rest.items.map((x: { id: number }) => x.id)).toEqual([ids.A]);

    const csv = await admin.get(`/api/v1/analytics/tickets/export?${RANGE}&metric=reopened&format=csv`);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body).toContain("工单 phone");
    expect(csv.body).not.toContain("工单 email");
    const table = await admin.get(`/api/v1/analytics/export?${RANGE}&table=agents&format=xlsx`);
    expect(table.statusCode).toBe(200);
    expect(table.rawPayload.subarray(0, 2).toString()).toBe("PK");

    expect((await agent1.get(`/api/v1/analytics/overview?${RANGE}`)).statusCode).toBe(403);
    expect((await agent1.get(`/api/v1/analytics/agents?${RANGE}`)).statusCode).toBe(403);
    expect((await agent1.get(`/api/v1/analytics/tickets?${RANGE}&metric=created`)).statusCode).toBe(403);
    expect((await agent1.get(`/api/v1/analytics/tickets?${RANGE}&metric=resolved&agentId=${ids.a2}`)).statusCode).toBe(403);
    const own = await agent1.get(`/api/v1/analytics/tickets?${RANGE}&metric=resolved&agentId=${ids.a1}`);
    expect(own.json().items.map((x: { id: number }) => x.id)).toEqual([ids.A]);
  });

  it("a rebuild from the history gives exactly the rollups the incremental path keeps", async () => {
    const snapshot = async () => ({
      daily: await rollup("analytics_daily"),
      agent: await rollup("analytics_agent_daily"),
      stages: (await t.ctx.db.selectFrom("analytics_stage_daily").selectAll().orderBy("day").orderBy("department_id").execute()).filter(
        (r) => r.tickets !== 0 || Number(r.seconds) !== 0,
      ),
      facts: (await t.ctx.db.selectFrom("analytics_ticket_facts").selectAll().orderBy("ticket_id").execute()).map(
        ({ computed_at: _, ...f }) => f,
      ),
    });
    const before = await snapshot();
    expect(before.daily.length).toBeGreaterThan(0);
    await rebuildAnalytics(t.ctx.db, t.ctx.config.timeZone);
    expect(await snapshot()).toEqual(before);
  });
});

/** A rollup's rows without the ones that add up to nothing, in key order. */
export async function rollup(table: "analytics_daily" | "analytics_agent_daily") {
  const rows = (await t.ctx.db
    .selectFrom(table)
    .selectAll()
    .select((eb) => eb.cast<string>("day", "text").as("day"))
    .execute()) as Record<string, unknown>[];
  return rows
    .filter((r) =>
      Object.entries(r).some(
        ([k, v]) =>
          !["day", "department_id", "category_id", "channel", "team_id", "agent_id"].includes(k) &&
          (Array.isArray(v) ? v.some((x) => x !== 0) : Number(v) !== 0),
      ),
    )
    .map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          Array.isArray(v) ? trimZeros(v as number[]) : typeof v === "string" && k !== "day" && k !== "channel" ? Number(v) : v,
        ]),
      ),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
const trimZeros = (a: number[]) => {
  const out = [...a];
  while (out.length && out[out.length - 1] === 0) out.pop();
  return out;
};
