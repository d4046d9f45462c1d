import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshAnalyticsNow } from "../../src/modules/analytics/analytics-jobs";
import { seedDemo } from "../../src/modules/setup/seed-demo";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

/**
 * Reports and ticket access never disagree: for each role, every number a report shows is the
 * count of the tickets its drill-down lists, and every listed ticket opens for that reader.
 */
let t: TestApp;
let afterSeeding: { waiting: number; facts: number };
const clients = {} as Record<"admin" | "wangfang" | "chenjing" | "lina", Client>;
const day = (d: Date) => d.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
const range = `from=${day(new Date(Date.now() - 29 * 86_400_000))}&to=${day(new Date())}`;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.ctx, { tickets: 500, customers: 80 });
  afterSeeding = {
    waiting: (await t.ctx.db.selectFrom("analytics_dirty").select(["ticket_id"]).execute()).length,
    facts: (await t.ctx.db.selectFrom("analytics_ticket_facts").select(["ticket_id"]).execute()).length,
  };
  await t.ctx.jobs.drain();
  await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);
  clients.admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  for (const name of ["wangfang", "chenjing", "lina"] as const)
    clients[name] = await t.signIn(`${name}@demo.loopdesk.local`, "loopdesk-demo");
});
afterAll(() => t.close());

type Overview = {
  totals: {
    created: number;
    resolved: number;
    firstContactResolution: { count: number };
    transferred: { count: number };
    reopened: { count: number };
    repeat: { count: number };
    csat: { count: number; negative: { count: number } };
    sla: { firstResponse: { count: number; of: number }; resolution: { count: number; of: number } };
  };
};
/** What each drill-down metric counts on the overview. */
const NUMBERS: [string, (o: Overview) => number][] = [
  ["created", (o) => o.totals.created],
  ["resolved", (o) => o.totals.resolved],
  ["fcr", (o) => o.totals.firstContactResolution.count],
  ["transferred", (o) => o.totals.transferred.count],
  ["reopened", (o) => o.totals.reopened.count],
  ["repeat", (o) => o.totals.repeat.count],
  ["csat", (o) => o.totals.csat.count],
  ["csat_negative", (o) => o.totals.csat.negative.count],
  ["sla_first_response_breached", (o) => o.totals.sla.firstResponse.of - o.totals.sla.firstResponse.count],
  ["sla_resolution_breached", (o) => o.totals.sla.resolution.of - o.totals.sla.resolution.count],
];

/** Every ticket behind a number, all pages, checking the count the API gives. */
async function drillAll(c: Client, query: string) {
  const ids: number[] = [];
  let cursor: string | null = null;
  let total = -1;
  do {
    const res = await c.get(`/api/v1/analytics/tickets?${range}&${query}&limit=200${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    const page = res.json() as { items: { id: number }[]; nextCursor: string | null; total: number };
    ids.push(...page.items.map((x) => x.id));
    cursor = page.nextCursor;
    total = page.total;
  } while (cursor);
  expect(ids.length, `${query}: listed vs total`).toBe(total);
  return ids;
}

async function expectAllOpen(c: Client, ids: number[], what: string) {
  for (const id of ids) expect((await c.get(`/api/v1/tickets/${id}`)).statusCode, `${what}: ticket ${id}`).toBe(200);
}

describe("reports and access agree", () => {
  for (const reader of ["admin", "wangfang", "chenjing"] as const)
    it(`${reader}: every overview number is the tickets its drill-down lists, and each of them opens`, async () => {
      const c = clients[reader];
      const overview = (await c.get(`/api/v1/analytics/overview?${range}`)).json() as Overview;
      expect(overview.totals.created).toBeGreaterThan(0);
      for (const [metric, number] of NUMBERS) {
        const ids = await drillAll(c, `metric=${metric}`);
        expect(ids.length, `${reader} ${metric}`).toBe(number(overview));
        await expectAllOpen(c, ids, `${reader} ${metric}`);
      }
      // The agents a supervisor's report lists: each one's numbers open too.
      const agents = (await c.get(`/api/v1/analytics/agents?${range}`)).json().items as { agentId: number; handled: number }[];
      expect(agents.length).toBeGreaterThan(0);
      for (const a of agents.slice(0, 4)) {
        const ids = await drillAll(c, `metric=resolved&agentId=${a.agentId}`);
        expect(ids.length, `${reader} agent ${a.agentId}`).toBe(a.handled);
        await expectAllOpen(c, ids, `${reader} agent ${a.agentId}`);
      }
    });

  it("the demo's reports are complete when seeding ends (a first start's dashboards have their data at once)", () => {
    expect(afterSeeding.waiting).toBe(0);
    expect(afterSeeding.facts).toBeGreaterThanOrEqual(500);
  });

  it("a supervisor's reports cover their departments and their people; the rest is refused", async () => {
    const departments = (await clients.admin.get("/api/v1/departments")).json().items as { id: number; name: string }[];
    const finance = departments.find((d) => d.name === "财务") as { id: number };
    const afterSales = departments.find((d) => d.name === "售后服务") as { id: number };
    expect((await clients.wangfang.get(`/api/v1/analytics/overview?${range}&departmentId=${finance.id}`)).statusCode).toBe(403);
    expect((await clients.wangfang.get(`/api/v1/analytics/overview?${range}&departmentId=${afterSales.id}`)).statusCode).toBe(200);
    const all = (await clients.admin.get(`/api/v1/analytics/overview?${range}`)).json() as Overview;
    const mine = (await clients.wangfang.get(`/api/v1/analytics/overview?${range}`)).json() as Overview;
    expect(mine.totals.created).toBeLessThan(all.totals.created);
    const people = (await clients.wangfang.get(`/api/v1/analytics/agents?${range}`)).json().items.map((a: { name: string }) => a.name);
    expect(people).toEqual(expect.arrayContaining(["李娜", "刘洋"]));
    expect(people).not.toContain("孙强");
    const sunqiang = (await clients.admin.get("/api/v1/staff")).json().items.find((s: { name: string }) => s.name === "孙强");
    expect((await clients.wangfang.get(`/api/v1/analytics/tickets?${range}&metric=resolved&agentId=${sunqiang.id}`)).statusCode).toBe(403);
  });

  it("an agent opens the tickets behind their own numbers, and no one else's", async () => {
    const me = (await clients.lina.get(`/api/v1/analytics/me?${range}`)).json().me as { agentId: number; handled: number };
    const ids = await drillAll(clients.lina, `metric=resolved&agentId=${me.agentId}`);
    expect(ids.length).toBe(me.handled);
    await expectAllOpen(clients.lina, ids, "lina");
    expect((await clients.lina.get(`/api/v1/analytics/overview?${range}`)).statusCode).toBe(403);
    expect((await clients.lina.get(`/api/v1/analytics/tickets?${range}&metric=created`)).statusCode).toBe(403);
  });
});

describe("reports for customers", () => {
  it("a signed-in customer gets no report, drill-down or team numbers", async () => {
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    for (const path of ["overview", "tickets?metric=created&", "agents", "teams", "me"]) {
      const url = `/api/v1/analytics/${path.includes("?") ? path : `${path}?`}${range}`;
      expect((await portal.get(url)).statusCode, url).toBe(403);
    }
  });
});
