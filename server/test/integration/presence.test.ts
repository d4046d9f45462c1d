import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepRouting } from "../../src/modules/routing/routing-jobs";
import { localClock } from "../../src/modules/routing/shifts";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

const settle = async (now = new Date()) => {
  await t.ctx.jobs.drain();
  await sweepRouting(t.ctx, t.ctx.db, now);
  await t.ctx.jobs.drain();
};

async function teamWith(mode: "manual" | "sign_in" | "shift") {
  const dept = await t.factory.department();
  const agent = await t.factory.staff({ departmentIds: [dept.id] });
  const team = (
    await admin.post("/api/v1/teams", { name: `组-${mode}-${Date.now()}`, departmentId: dept.id, memberIds: [agent.id] })
  ).json();
  expect((await admin.patch(`/api/v1/routing/teams/${team.id}`, { presenceMode: mode })).statusCode).toBe(200);
  return { dept, agent, team, client: await t.signIn(agent.email, PASSWORD) };
}
const me = async (c: Client) => (await c.get("/api/v1/routing/me")).json() as { presence: string; onShift: boolean; presenceMode: string };

describe("how agents come online", () => {
  it("by the roster: online for the shift without signing in, their own choice holds until the shift ends, offline after it", async () => {
    const { dept, agent, client } = await teamWith("shift");
    const cat = (await admin.post("/api/v1/categories", { name: `排班-${Date.now()}`, departmentId: dept.id })).json();
    await settle();
    expect(await me(client)).toMatchObject({ presence: "online", presenceMode: "shift", onShift: true });
    // Nobody signed in, yet a new ticket of the department is assigned at once.
    const customer = await t.factory.customer();
    const id = (await admin.post("/api/v1/tickets", { subject: "排班", categoryId: cat.id, customer: { id: customer.id } })).json().id;
    await settle();
    expect((await admin.get(`/api/v1/tickets/${id}`)).json().assigneeId).toBe(agent.id);
    // The roster does not make them away for not moving the mouse.
    await client.post("/api/v1/routing/me/heartbeat");
    await settle(new Date(Date.now() + 45 * 60_000));
    expect((await me(client)).presence).toBe("online");

    // They step away: the roster leaves that alone during the shift.
    await client.request("PUT", "/api/v1/routing/me/presence", { presence: "away" });
    await settle();
    expect((await me(client)).presence).toBe("away");

    // Today off: offline, and the choice expired; back on shift tomorrow they are online again.
    const today = localClock(new Date(), t.ctx.config.timeZone).date;
    expect((await admin.patch(`/api/v1/routing/agents/${agent.id}`, { shiftExceptions: [{ date: today, off: true }] })).statusCode).toBe(
      200,
    );
    await settle();
    expect(await me(client)).toMatchObject({ presence: "offline", onShift: false });
    expect((await admin.patch(`/api/v1/routing/agents/${agent.id}`, { shiftExceptions: [] })).statusCode).toBe(200);
    await settle();
    expect((await me(client)).presence).toBe("online");
  });

  it("at sign-in: opening the app during the shift puts them online; a team that goes online by hand is only offered it", async () => {
    const auto = await teamWith("sign_in");
    await settle();
    expect((await me(auto.client)).presence).toBe("offline");
    const beat = await auto.client.post("/api/v1/routing/me/heartbeat");
    expect(beat.json()).toEqual({ presence: "online" });
    expect((await me(auto.client)).presenceMode).toBe("sign_in");
    // A choice of theirs is not overridden by the next heartbeat.
    await auto.client.request("PUT", "/api/v1/routing/me/presence", { presence: "offline" });
    expect((await auto.client.post("/api/v1/routing/me/heartbeat")).json()).toEqual({ presence: "offline" });

    const manual = await teamWith("manual");
    expect((await manual.client.post("/api/v1/routing/me/heartbeat")).json()).toEqual({ presence: "offline" });
    // What the app offers them: they are on shift and offline.
    expect(await me(manual.client)).toMatchObject({ presence: "offline", onShift: true, presenceMode: "manual" });
  });
});
