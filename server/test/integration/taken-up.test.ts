import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepRouting } from "../../src/modules/routing/routing-jobs";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * A new ticket is 处理中 once its owner works on it — a reply, a note, starting a process or finishing
 * one of its steps — and stays theirs when their shift ends; only tickets nobody took up go back.
 * (The demo showed a ticket whose agent had started 发票重开 handed from agent to agent at every shift end.)
 */
let t: TestApp;
let admin: Client;
let dept: number;
let category: number;
const people: { id: number; client: Client }[] = [];

async function settle() {
  await t.ctx.jobs.drain();
  await sweepRouting(t.ctx, t.ctx.db);
  await t.ctx.jobs.drain();
}

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  dept = (await t.factory.department("售后服务")).id;
  for (let i = 0; i < 2; i++) {
    const s = await t.factory.staff({ departmentIds: [dept] });
    const client = await t.signIn(s.email, PASSWORD);
    expect((await client.request("PUT", "/api/v1/routing/me/presence", { presence: "online" })).statusCode).toBe(200);
    people.push({ id: s.id, client });
  }
  const team = (await admin.post("/api/v1/teams", { name: "售后一组", departmentId: dept, memberIds: people.map((p) => p.id) })).json();
  await admin.patch(`/api/v1/routing/teams/${team.id}`, { strategy: "least_loaded" });
  category = (await admin.post("/api/v1/categories", { name: "退换货" })).json().id;
  await admin.post("/api/v1/routing/rules", { name: "退换货", conditions: { categoryIds: [category] }, teamId: team.id });
  const def = (await admin.post("/api/v1/processes/templates/cross_border_return", {})).json();
  expect((await admin.post(`/api/v1/processes/${def.id}/publish`, {})).statusCode).toBe(200);
});
afterAll(() => t.close());

const get = async (id: number) => (await admin.get(`/api/v1/tickets/${id}`)).json() as { status: string; assigneeId: number };

async function assignedTicket(subject: string) {
  const customer = await t.factory.customer();
  const created = await admin.post("/api/v1/tickets", {
    subject,
    description: "想退货",
    categoryId: category,
    customer: { id: customer.id },
  });
  expect(created.statusCode).toBe(201);
  return created.json().id as number;
}

describe("a ticket its owner took up", () => {
  it("is 处理中 after their note, a process they start or a step they finish, and stays theirs when they go offline", async () => {
    // One agent is on shift while they come in: all five are theirs.
    const [owner, other] = people as [(typeof people)[number], (typeof people)[number]];
    await other.client.request("PUT", "/api/v1/routing/me/presence", { presence: "offline" });
    const [noted, started, stepped, colleagues, untouched] = [
      await assignedTicket("耳机退货"),
      await assignedTicket("跨境退货"),
      await assignedTicket("手表退货"),
      await assignedTicket("音箱退货"),
      await assignedTicket("键盘退货"),
    ];
    await settle();
    await other.client.request("PUT", "/api/v1/routing/me/presence", { presence: "online" });
    for (const id of [noted, started, stepped, colleagues, untouched])
      expect(await get(id)).toMatchObject({ status: "new", assigneeId: owner.id });

    // Their note takes the ticket up; a colleague's note on another does not.
    expect((await owner.client.post(`/api/v1/tickets/${noted}/messages`, { body: "先核对订单", visibility: "internal" })).statusCode).toBe(
      201,
    );
    expect(
      (await other.client.post(`/api/v1/tickets/${colleagues}/messages`, { body: "这单我看过", visibility: "internal" })).statusCode,
    ).toBe(201);
    // Starting a process.
    expect((await owner.client.post(`/api/v1/tickets/${started}/processes`, { processKey: "cross_border_return" })).statusCode).toBe(201);
    // Finishing a step of a process someone else started.
    expect((await admin.post(`/api/v1/tickets/${stepped}/processes`, { processKey: "cross_border_return" })).statusCode).toBe(201);
    expect((await get(stepped)).status).toBe("new");
    const task = ((await owner.client.get("/api/v1/tasks?scope=mine")).json().items as { id: number; ticketId: number }[]).find(
      (x) => x.ticketId === stepped,
    );
    const done = await owner.client.post(`/api/v1/tasks/${task?.id}/complete`, {
      values: { return_reason: "quality", refund_amount: 99 },
    });
    expect(done.statusCode, done.body).toBe(200);

    expect((await get(noted)).status).toBe("open");
    expect((await get(started)).status).toBe("open");
    expect((await get(stepped)).status).toBe("open");
    expect((await get(colleagues)).status).toBe("new");
    const events = (await admin.get(`/api/v1/tickets/${started}/events`)).json().items as { type: string; actorId: number }[];
    expect(events.find((e) => e.type === "status_changed")).toMatchObject({ actorId: owner.id });

    // Their shift ends: what they took up stays with them; what nobody took up goes to a colleague.
    await owner.client.request("PUT", "/api/v1/routing/me/presence", { presence: "offline" });
    await settle();
    for (const id of [noted, started, stepped]) expect((await get(id)).assigneeId).toBe(owner.id);
    for (const id of [colleagues, untouched]) expect((await get(id)).assigneeId).toBe(other.id);
  });
});
