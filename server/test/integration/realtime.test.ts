import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const address = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => t.close());

type Received = { event: string; data: Record<string, unknown> };

/** Opens the SSE stream as a signed-in client and collects the events it receives. */
async function openStream(client: Client) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/v1/stream`, { headers: { cookie: client.cookie as string }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const received: Received[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {}
  })();
  return { received, close: () => controller.abort() };
}

const settle = () => new Promise((r) => setTimeout(r, 300));
const waitFor = async (condition: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
};

describe("realtime ticket events", () => {
  it("streams ticket changes as they commit, only to those who may see the ticket", async () => {
    const depA = await t.factory.department("售后服务");
    const depB = await t.factory.department("财务");
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const agentA = await t.signIn((await t.factory.staff({ departmentIds: [depA.id] })).email, PASSWORD);
    const agentB = await t.signIn((await t.factory.staff({ departmentIds: [depB.id] })).email, PASSWORD);
    const customer = await t.factory.customer();
    const customerClient = await t.signIn(customer.email, PASSWORD, "customer");
    const stranger = await t.signIn((await t.factory.customer()).email, PASSWORD, "customer");

    const streams = {
      admin: await openStream(admin),
      agentA: await openStream(agentA),
      agentB: await openStream(agentB),
      customer: await openStream(customerClient),
      stranger: await openStream(stranger),
    };
    await settle();

    const ticket = (
      await admin.post("/api/v1/tickets", { subject: "实时推送", departmentId: depA.id, customer: { email: customer.email } })
    ).json();
    await agentA.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "内部备注", visibility: "internal" });
    await agentA.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "您好" });

    const types = (s: { received: Received[] }) =>
      s.received.filter((r) => r.data.ticketId === ticket.id).map((r) => `${r.event}${r.data.visibility ? `:${r.data.visibility}` : ""}`);
    await waitFor(() => types(streams.admin).length >= 3 && types(streams.customer).length >= 2);
    await settle(); // and a moment longer, for anything that should not arrive
    expect(types(streams.admin)).toEqual(["ticket.created", "ticket.message_added:internal", "ticket.message_added:public"]);
    expect(types(streams.agentA)).toEqual(["ticket.created", "ticket.message_added:internal", "ticket.message_added:public"]);
    expect(types(streams.customer)).toEqual(["ticket.created", "ticket.message_added:public"]);
    expect(types(streams.agentB)).toEqual([]);
    expect(types(streams.stranger)).toEqual([]);
    expect(streams.customer.received[0].data).not.toHaveProperty("scope");

    // Moving the ticket to department B: A hears it leave, B hears it arrive.
    await admin.patch(`/api/v1/tickets/${ticket.id}`, { departmentId: depB.id });
    await waitFor(() => types(streams.agentB).length >= 1);
    await settle();
    expect(types(streams.agentA).at(-1)).toBe("ticket.updated");
    expect(types(streams.agentB)).toEqual(["ticket.updated"]);
    expect(streams.agentB.received.at(-1)?.data.fields).toEqual(["departmentId"]);

    // Nothing is sent for a change that rolls back.
    const before = streams.admin.received.length;
    expect((await admin.patch(`/api/v1/tickets/${ticket.id}`, { status: "closed" })).statusCode).toBe(409);
    await settle();
    expect(streams.admin.received.length).toBe(before);

    for (const s of Object.values(streams)) s.close();
  });

  it("tells other agents who is viewing or typing on a ticket, never customers", async () => {
    const dep = await t.factory.department("技术支持");
    const wang = await t.factory.staff({ departmentIds: [dep.id], name: "王芳" });
    const li = await t.factory.staff({ departmentIds: [dep.id], name: "李娜" });
    const outsider = await t.factory.staff({ departmentIds: [(await t.factory.department("财务")).id] });
    const a = await t.signIn(wang.email, PASSWORD);
    const b = await t.signIn(li.email, PASSWORD);
    const customer = await t.factory.customer();
    const ticket = (await a.post("/api/v1/tickets", { subject: "协同", departmentId: dep.id, customer: { email: customer.email } })).json();
    const streamB = await openStream(b);
    const streamCustomer = await openStream(await t.signIn(customer.email, PASSWORD, "customer"));
    await settle();

    expect((await a.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "viewing" })).json()).toEqual({ items: [] });
    const seenByB = await b.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "viewing" });
    expect(seenByB.json().items).toEqual([{ staffId: wang.id, name: "王芳", state: "viewing" }]);
    await a.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "typing" });
    await a.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "typing" }); // a heartbeat: no new event
    const presence = () =>
      streamB.received.filter((r) => r.event === "ticket.presence" && r.data.staffId === wang.id).map((r) => r.data.state);
    await waitFor(() => presence().length >= 2);
    await a.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "left" });
    await waitFor(() => presence().length >= 3);
    expect(presence()).toEqual(["viewing", "typing", "left"]);
    expect((await b.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "viewing" })).json().items).toEqual([]);
    expect(streamCustomer.received.filter((r) => r.event === "ticket.presence")).toEqual([]);

    const stranger = await t.signIn(outsider.email, PASSWORD);
    expect((await stranger.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "viewing" })).statusCode).toBe(404);
    const asCustomer = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await asCustomer.request("PUT", `/api/v1/tickets/${ticket.id}/presence`, { state: "viewing" })).statusCode).toBe(403);
    streamB.close();
    streamCustomer.close();
  });

  it("delivers an event whose transaction commits after a later one's (read from the outbox by id, holes looked for again)", async () => {
    // Two transactions open at once: only PostgreSQL has more than one connection.
    if (inject("engine") !== "postgres") return;
    const seen: number[] = [];
    const unsubscribe = t.ctx.realtime.subscribe((e) => {
      if (e.type === "test.order") seen.push(e.aggregateId);
    });
    await settle();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let first: Promise<void> = Promise.resolve();
    const emitted = new Promise<void>((ready) => {
      first = t.ctx.db.transaction().execute(async (trx) => {
        await t.ctx.events.emit(trx, { type: "test.order", aggregateType: "test", aggregateId: 1 });
        ready();
        await held; // drew the smaller id, commits last
      });
    });
    await emitted;
    await t.ctx.db
      .transaction()
      .execute((trx) => t.ctx.events.emit(trx, { type: "test.order", aggregateType: "test", aggregateId: 2 }).then(() => {}));
    t.ctx.realtime.poke();
    await waitFor(() => seen.includes(2));
    expect(seen).toEqual([2]);
    release();
    await first;
    t.ctx.realtime.poke();
    await waitFor(() => seen.includes(1));
    expect(seen).toEqual([2, 1]);
    unsubscribe();
  });

  it("needs a signed-in caller", async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });
});
