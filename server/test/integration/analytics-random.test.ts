import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rebuildAnalytics, refreshAnalyticsNow } from "../../src/modules/analytics/analytics-jobs";
import { dayOf } from "../../src/modules/analytics/ticket-facts";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * Randomized histories (seeded): tickets created, answered, moved, solved, reopened and rated at
 * random times, with the rollups refreshed at random moments in between. The dashboard numbers
 * must equal a direct, independent computation from ticket_events, and a rebuild must give the
 * same rollups as the incremental path.
 */
let t: TestApp;
let admin: Client;
const TZ = "Asia/Shanghai";
let seed = 20261122;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;

beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

describe("rollups on randomized histories", () => {
  it("agree with a direct computation from the events, however often they were refreshed in between", async () => {
    const agents = [await t.factory.staff({ role: "agent" }), await t.factory.staff({ role: "agent" })];
    const departments = [await t.factory.department(), await t.factory.department()];
    const teams = [
      (await admin.post("/api/v1/teams", { name: "随机一组", departmentId: (departments[0] as { id: number }).id })).json(),
      (await admin.post("/api/v1/teams", { name: "随机二组", departmentId: (departments[1] as { id: number }).id })).json(),
    ] as { id: number }[];
    const customers = await Promise.all(Array.from({ length: 6 }, () => t.factory.customer()));
    const portals = await Promise.all(customers.map((c) => t.signIn(c.email, PASSWORD, "customer")));
    vi.useFakeTimers({ toFake: ["Date"] });
    let now = new Date("2026-11-09T08:00:00+08:00").getTime();
    const tick = () => {
      now += Math.floor(random() * 5 * 3600_000);
      vi.setSystemTime(now);
    };
    const tickets: { id: number; portal: Client }[] = [];
    for (let step = 0; step < 160; step++) {
      tick();
      const action =
        tickets.length < 3 ? "create" : pick(["create", "reply", "solve", "customer", "move", "team", "rate", "refresh"] as const);
      const ticket = tickets.length ? pick(tickets) : null;
      if (action === "create" || !ticket) {
        const i = Math.floor(random() * customers.length);
        const res = await admin.post("/api/v1/tickets", {
          subject: `随机 ${step}`,
          description: "x",
          customer: { id: (customers[i] as { id: number }).id },
          channel: pick(["email", "phone", "portal"]),
          departmentId: pick(departments).id,
          assigneeId: random() < 0.6 ? pick(agents).id : null,
        });
        tickets.push({ id: res.json().id, portal: portals[i] as Client });
      } else if (action === "reply") {
        await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "回复", visibility: "public" });
      } else if (action === "solve") {
        await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已解决", visibility: "public", status: "solved" });
      } else if (action === "customer") {
        await ticket.portal.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "补充" });
      } else if (action === "move") {
        await admin.patch(`/api/v1/tickets/${ticket.id}`, { assigneeId: pick(agents).id, departmentId: pick(departments).id });
      } else if (action === "team") {
        await admin.post(`/api/v1/tickets/${ticket.id}/transfer`, { teamId: pick(teams).id, reason: "转组" });
      } else if (action === "rate") {
        await ticket.portal.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 1 + Math.floor(random() * 5) });
      } else {
        await refreshAnalyticsNow(t.ctx.db, TZ);
      }
    }
    vi.useRealTimers();
    await refreshAnalyticsNow(t.ctx.db, TZ);

    const from = "2026-11-09";
    const to = dayOf(new Date(now), TZ);
    const overview = (await admin.get(`/api/v1/analytics/overview?from=${from}&to=${to}`)).json();
    const direct = await directFromEvents(to);
    // The seed gives a history with every kind of moment in it.
    expect(direct.reopenedResolved).toBeGreaterThan(0);
    expect(direct.ratings).toBeGreaterThan(0);
    expect(direct.open).toBeGreaterThan(0);
    expect(overview.totals).toMatchObject({
      created: direct.created,
      resolved: direct.resolved,
      backlog: direct.open,
      reopened: { count: direct.reopenedResolved },
      csat: { count: direct.ratings, average: direct.ratings ? direct.ratingSum / direct.ratings : null },
      firstResponse: {
        calendar: { count: direct.firstResponses, mean: direct.firstResponses ? direct.frtSum / direct.firstResponses : null },
      },
    });
    expect(
      Object.fromEntries(
        overview.daily.filter((d: { created: number }) => d.created > 0).map((d: { day: string; created: number }) => [d.day, d.created]),
      ),
    ).toEqual(direct.createdByDay);
    expect(overview.byDepartment.reduce((n: number, d: { created: number }) => n + d.created, 0)).toBe(direct.created);
    expect(overview.byTeam.reduce((n: number, d: { created: number }) => n + d.created, 0)).toBe(direct.created);
    // Every working second of a solved ticket was spent in some department: stage times add up to the time in status.
    const stageSeconds = overview.stages.reduce(
      (n: number, st: { tickets: number; meanSeconds: number }) => n + st.tickets * st.meanSeconds,
      0,
    );
    const status = overview.totals.timeInStatus;
    expect(stageSeconds).toBeCloseTo((status.new + status.open + status.pending + status.on_hold) * overview.totals.resolved, 3);
    expect(overview.byTeam.some((d: { teamId: number }) => d.teamId !== 0)).toBe(true);

    const snapshot = async () =>
      [
        await t.ctx.db
          .selectFrom("analytics_daily")
          .selectAll()
          .select((eb) => eb.cast<string>("day", "text").as("day"))
          .execute(),
        await t.ctx.db
          .selectFrom("analytics_agent_daily")
          .selectAll()
          .select((eb) => eb.cast<string>("day", "text").as("day"))
          .execute(),
        await t.ctx.db
          .selectFrom("analytics_daily_totals")
          .selectAll()
          .select((eb) => eb.cast<string>("day", "text").as("day"))
          .execute(),
        await t.ctx.db
          .selectFrom("analytics_stage_daily")
          .selectAll()
          .select((eb) => eb.cast<string>("day", "text").as("day"))
          .execute(),
      ].map((rows) => normalize(rows as Record<string, unknown>[]));
    const incremental = await snapshot();
    // Moves between departments left stage times in more than one department.
    expect(new Set((incremental[3] ?? []).map((r) => r.department_id)).size).toBeGreaterThan(1);
    await rebuildAnalytics(t.ctx.db, TZ);
    expect(await snapshot()).toEqual(incremental);
  });
});

/** The same numbers, straight from ticket_events, written independently of the analytics module. */
async function directFromEvents(to: string) {
  const events = await t.ctx.db.selectFrom("ticket_events").selectAll().orderBy("ticket_id").orderBy("created_at").orderBy("id").execute();
  const byTicket = new Map<number, typeof events>();
  for (const e of events) byTicket.set(e.ticket_id, [...(byTicket.get(e.ticket_id) ?? []), e]);
  const out = {
    created: 0,
    resolved: 0,
    open: 0,
    reopenedResolved: 0,
    ratings: 0,
    ratingSum: 0,
    firstResponses: 0,
    frtSum: 0,
    createdByDay: {} as Record<string, number>,
  };
  for (const list of byTicket.values()) {
    const created = list.find((e) => e.type === "created");
    if (!created) continue;
    out.created++;
    const day = dayOf(created.created_at, TZ);
    out.createdByDay[day] = (out.createdByDay[day] ?? 0) + 1;
    const statuses = list.filter((e) => e.type === "status_changed");
    const last = statuses.at(-1);
    const solved = last !== undefined && (last.after === "solved" || last.after === "closed");
    if (solved) {
      out.resolved++;
      if (statuses.some((e) => e.before === "solved" && e.after === "open")) out.reopenedResolved++;
    } else out.open++;
    const fr = list.find((e) => e.type === "first_response");
    if (fr) {
      out.firstResponses++;
      // Whole seconds on the clock's second boundaries (so split spans add up exactly).
      out.frtSum += Math.floor(fr.created_at.getTime() / 1000) - Math.floor(created.created_at.getTime() / 1000);
    }
    for (const e of list.filter((x) => x.type === "csat_received")) {
      out.ratings++;
      out.ratingSum += (e.data as { rating: number }).rating;
    }
  }
  expect(Object.keys(out.createdByDay).every((d) => d <= to)).toBe(true);
  return out;
}

function normalize(rows: Record<string, unknown>[]) {
  const keys = new Set(["day", "department_id", "category_id", "channel", "team_id", "agent_id"]);
  const trim = (a: number[]) => {
    const out = [...a];
    while (out.length && out[out.length - 1] === 0) out.pop();
    return out;
  };
  return rows
    .map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? trim(v as number[]) : keys.has(k) ? v : Number(v)])),
    )
    .filter((r) => Object.entries(r).some(([k, v]) => !keys.has(k) && (Array.isArray(v) ? v.length > 0 : v !== 0)))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
