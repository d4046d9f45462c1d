import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let agent: Client;
let agentId: number;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  const a = await t.factory.staff({ role: "agent" });
  agentId = a.id;
  agent = await t.signIn(a.email, PASSWORD);
});
afterAll(() => t.close());

const newTicket = (over: Record<string, unknown> = {}) => ({
  subject: "收到的商品有破损",
  description: "杯子碎了，订单号 DD2026112101",
  customer: { email: "buyer@example.cn", name: "买家" },
  ...over,
});

describe("creating tickets", () => {
  it("creates a ticket with a human-readable number, resolves the customer by email and records the event", async () => {
    const res = await agent.post("/api/v1/tickets", newTicket({ priority: "high", tags: ["破损"] }));
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket).toMatchObject({ status: "new", priority: "high", channel: "api", tags: ["破损"], version: 1 });
    expect(ticket.number).toBeGreaterThanOrEqual(10001);
    expect(res.headers.etag).toBe('"1"');
    const again = await agent.post("/api/v1/tickets", newTicket({ customer: { email: "BUYER@example.cn" } }));
    expect(again.json().customerId).toBe(ticket.customerId);
    expect(again.json().number).toBe(ticket.number + 1);
    const events = (await agent.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    // The second request repeats the first (same customer, same text): it is linked as a duplicate.
    expect(again.json().duplicateOfId).toBe(ticket.id);
    expect(events.map((e: { type: string }) => e.type)).toEqual(["created", "duplicate_linked"]);
    expect(events[0]).toMatchObject({ actorType: "staff", actorId: agentId });
  });

  it("the same Idempotency-Key never creates two tickets; reusing it for another request is refused", async () => {
    const key = `idem-${Date.now()}`;
    const first = await agent.post("/api/v1/tickets", newTicket({ subject: "幂等测试" }), { "idempotency-key": key });
    const replay = await agent.post("/api/v1/tickets", newTicket({ subject: "幂等测试" }), { "idempotency-key": key });
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => agent.post("/api/v1/tickets", newTicket({ subject: "并发幂等" }), { "idempotency-key": `${key}-c` })),
    );
    expect(new Set(concurrent.map((r) => r.json().id)).size).toBe(1);
    const count = await t.ctx.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("subject", "=", "并发幂等")
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const other = await agent.post("/api/v1/tickets", newTicket({ subject: "别的内容" }), { "idempotency-key": key });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe("idempotency_conflict");
  });

  it("validates input with field-level details", async () => {
    const res = await agent.post("/api/v1/tickets", { subject: "", customer: { name: "无联系方式" } });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain("subject");
    expect(paths).toContain("customer");
    const unknownCategory = await agent.post("/api/v1/tickets", newTicket({ categoryId: 999999 }));
    expect(unknownCategory.statusCode).toBe(400);
    expect(unknownCategory.json().error.details[0].path).toBe("categoryId");
  });

  it("routes to the category's department and checks custom fields by their definitions", async () => {
    const dep = await t.factory.department("售后服务");
    const cat = (await admin.post("/api/v1/categories", { name: "退换货", departmentId: dep.id })).json();
    expect(
      (
        await admin.post("/api/v1/custom-fields", {
          entity: "ticket",
          key: "order_no",
          label: "订单号",
          type: "text",
          pattern: "^DD\\d{10}$",
        })
      ).statusCode,
    ).toBe(201);
    const bad = await agent.post("/api/v1/tickets", newTicket({ categoryId: cat.id, customFields: { order_no: "12345" } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ path: "customFields.order_no", code: "pattern_mismatch" });
    const unknown = await agent.post("/api/v1/tickets", newTicket({ customFields: { nope: 1 } }));
    expect(unknown.json().error.details[0].code).toBe("unknown_field");
    const ok = await agent.post("/api/v1/tickets", newTicket({ categoryId: cat.id, customFields: { order_no: "DD2026112101" } }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ departmentId: dep.id, categoryId: cat.id, customFields: { order_no: "DD2026112101" } });
  });
});

describe("updating tickets", () => {
  it("PATCH records each change as an event, bumps the version and ETag", async () => {
    const ticket = (await agent.post("/api/v1/tickets", newTicket())).json();
    const res = await agent.patch(
      `/api/v1/tickets/${ticket.id}`,
      { priority: "urgent", assigneeId: agentId, status: "open", tags: ["a", "b"] },
      { "if-match": '"1"' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ priority: "urgent", assigneeId: agentId, status: "open", version: 2 });
    expect(res.headers.etag).toBe('"2"');
    const events = (await agent.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    const byField = Object.fromEntries(
      events
        .filter((e: { field: string | null }) => e.field)
        .map((e: { field: string; before: unknown; after: unknown; type: string }) => [e.field, e]),
    );
    expect(byField.status).toMatchObject({ type: "status_changed", before: "new", after: "open" });
    expect(byField.priority).toMatchObject({ before: "normal", after: "urgent" });
    expect(byField.assigneeId).toMatchObject({ type: "assigned", before: null, after: agentId });
    expect(byField.tags).toMatchObject({ before: [], after: ["a", "b"] });
  });

  it("answers 412 with the current ticket when If-Match is stale, and changes nothing", async () => {
    const ticket = (await agent.post("/api/v1/tickets", newTicket())).json();
    expect((await agent.patch(`/api/v1/tickets/${ticket.id}`, { priority: "high" }, { "if-match": '"1"' })).statusCode).toBe(200);
    const stale = await agent.patch(`/api/v1/tickets/${ticket.id}`, { priority: "low" }, { "if-match": '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error).toMatchObject({ code: "precondition_failed", details: { currentVersion: 2, ticket: { priority: "high" } } });
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().priority).toBe("high");
  });

  it("enforces the lifecycle: invalid transitions answer 409 invalid_transition", async () => {
    const ticket = (await agent.post("/api/v1/tickets", newTicket())).json();
    const toClosed = await agent.patch(`/api/v1/tickets/${ticket.id}`, { status: "closed" });
    expect(toClosed.statusCode).toBe(409);
    expect(toClosed.json().error).toMatchObject({ code: "invalid_transition", details: { from: "new", to: "closed" } });
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已处理" });
    for (const status of ["open", "solved", "closed"])
      expect((await agent.patch(`/api/v1/tickets/${ticket.id}`, { status })).statusCode).toBe(200);
    const closed = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(closed.solvedAt).not.toBeNull();
    expect(closed.closedAt).not.toBeNull();
    const reopen = await agent.patch(`/api/v1/tickets/${ticket.id}`, { status: "open" });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().error.code).toBe("ticket_closed");
  });
});

describe("bulk changes", () => {
  it("applies changes to many tickets, each under the usual rules, and reports per ticket", async () => {
    const a = (await agent.post("/api/v1/tickets", newTicket({ subject: "批量 A" }))).json();
    const b = (await agent.post("/api/v1/tickets", newTicket({ subject: "批量 B" }))).json();
    const res = await agent.post("/api/v1/tickets/bulk-update", {
      ids: [a.id, b.id, 99999999],
      changes: { priority: "high", tags: ["批量"] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { id: a.id, ok: true },
      { id: b.id, ok: true },
      { id: 99999999, ok: false, error: expect.objectContaining({ code: "not_found" }) },
    ]);
    for (const id of [a.id, b.id])
      expect((await agent.get(`/api/v1/tickets/${id}`)).json()).toMatchObject({ priority: "high", tags: ["批量"] });
    const invalid = await agent.post("/api/v1/tickets/bulk-update", { ids: [a.id], changes: { status: "closed" } });
    expect(invalid.json().items[0]).toMatchObject({ ok: false, error: { code: "invalid_transition" } });
    expect((await agent.post("/api/v1/tickets/bulk-update", { ids: [], changes: {} })).statusCode).toBe(400);
  });
});

describe("conversation", () => {
  it("a staff public reply answers a new ticket (first response) and an internal note is kept from the customer", async () => {
    const customer = await t.factory.customer();
    const ticket = (await agent.post("/api/v1/tickets", newTicket({ customer: { email: customer.email } }))).json();
    const note = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "内部：先查库存", visibility: "internal" });
    expect(note.statusCode).toBe(201);
    expect(note.json().ticket.status).toBe("new");
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, {
      body: "您好，已为您登记退货。",
      bodyHtml: "<p>您好<script>alert(1)</script><img src=x onerror=alert(1)></p>",
    });
    expect(reply.statusCode).toBe(201);
    const after = reply.json();
    expect(after.ticket.status).toBe("open");
    expect(after.ticket.firstResponseAt).not.toBeNull();
    expect(after.message.bodyHtml).not.toMatch(/script|onerror/);

    const asCustomer = await t.signIn(customer.email, PASSWORD, "customer");
    const seen = (await asCustomer.get(`/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(seen.map((m: { bodyText: string }) => m.bodyText)).toEqual(["您好，已为您登记退货。"]);
    const staffSeen = (await agent.get(`/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(staffSeen).toHaveLength(2);
    const customerEvents = (await asCustomer.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(customerEvents.every((e: { type: string }) => ["created", "status_changed", "follow_up_created"].includes(e.type))).toBe(true);
    expect((await asCustomer.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "x", visibility: "internal" })).statusCode).toBe(403);
  });

  it("lists the conversation in the order it was written, a message stored later with an earlier time in its place", async () => {
    const ticket = (await agent.post("/api/v1/tickets", newTicket())).json();
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "第一条" });
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "第三条" });
    // As an import or a process step's notice writes one afterwards: with the time it was written.
    const [first] = (await agent.get(`/api/v1/tickets/${ticket.id}/messages`)).json().items as { createdAt: string }[];
    await t.ctx.db
      .insertInto("ticket_messages")
      .values({
        ticket_id: ticket.id,
        visibility: "public",
        author_type: "system",
        body_text: "第二条",
        channel: "web",
        created_at: new Date(new Date(first?.createdAt ?? 0).getTime() + 1),
      })
      .execute();
    const listed = (await agent.get(`/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(listed.map((m: { bodyText: string }) => m.bodyText)).toEqual(["第一条", "第二条", "第三条"]);
  });

  it("a customer reply reopens a solved ticket and counts the reopen", async () => {
    const customer = await t.factory.customer();
    const ticket = (await agent.post("/api/v1/tickets", newTicket({ customer: { email: customer.email } }))).json();
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已处理", status: "solved" });
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().status).toBe("solved");
    const asCustomer = await t.signIn(customer.email, PASSWORD, "customer");
    const res = await asCustomer.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "问题又出现了" });
    expect(res.statusCode).toBe(201);
    // The customer sees it back in progress; staff see it reopened and counted.
    expect(res.json().ticket).toMatchObject({ state: "in_progress", solvedAt: null });
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json()).toMatchObject({ status: "open", reopenCount: 1, solvedAt: null });
  });

  it("a reply to a closed ticket opens a linked follow-up and leaves the closed one unchanged", async () => {
    const customer = await t.factory.customer();
    const ticket = (await agent.post("/api/v1/tickets", newTicket({ customer: { email: customer.email } }))).json();
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已处理", status: "solved" });
    await agent.patch(`/api/v1/tickets/${ticket.id}`, { status: "closed" });
    const closedBefore = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    const staffReply = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "补充" });
    expect(staffReply.statusCode).toBe(409);
    const asCustomer = await t.signIn(customer.email, PASSWORD, "customer");
    const res = await asCustomer.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "还有一个问题" });
    expect(res.statusCode).toBe(201);
    const { followUpTicketId } = res.json();
    expect(followUpTicketId).not.toBeNull();
    const followUp = (await agent.get(`/api/v1/tickets/${followUpTicketId}`)).json();
    expect(followUp).toMatchObject({ followUpOfId: ticket.id, customerId: closedBefore.customerId, status: "new" });
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json()).toEqual(closedBefore);
    const events = (await agent.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(events.at(-1)).toMatchObject({ type: "follow_up_created" });
  });

  it("closes solved tickets automatically after the configured number of days", async () => {
    const ticket = (await agent.post("/api/v1/tickets", newTicket())).json();
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "好了", status: "solved" });
    await t.ctx.db
      .updateTable("tickets")
      .set({ solved_at: new Date(Date.now() - 5 * 86_400_000) })
      .where("id", "=", ticket.id)
      .execute();
    const fresh = (await agent.post("/api/v1/tickets", newTicket())).json();
    await agent.post(`/api/v1/tickets/${fresh.id}/messages`, { body: "好了", status: "solved" });
    await t.ctx.db.insertInto("jobs").values({ queue: "tickets.auto-close", payload: "{}" }).execute();
    await t.ctx.jobs.drain();
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().status).toBe("closed");
    expect((await agent.get(`/api/v1/tickets/${fresh.id}`)).json().status).toBe("solved");
    const events = (await agent.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(events.at(-1)).toMatchObject({ type: "status_changed", actorType: "system", after: "closed", data: { reason: "auto_close" } });
  });
});

describe("listing", () => {
  it("filters, searches Chinese text and pages with a cursor without gaps or repeats", async () => {
    const customer = await t.factory.customer();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await agent.post(
        "/api/v1/tickets",
        newTicket({
          subject: i % 2 ? `物流三天没有更新 ${i}` : `发票抬头开错了 ${i}`,
          customer: { email: customer.email },
          tags: i % 2 ? ["物流"] : [],
        }),
      );
      ids.push(res.json().id);
    }
    await t.ctx.jobs.drain();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await agent.get(
        `/api/v1/tickets?customer=${(await agent.get(`/api/v1/tickets/${ids[0]}`)).json().customerId}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((x: { id: number }) => x.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const customerId = (await agent.get(`/api/v1/tickets/${ids[0]}`)).json().customerId;
    expect((await agent.get(`/api/v1/tickets/count?customer=${customerId}`)).json()).toEqual({ count: 7, capped: false });
    expect((await agent.get(`/api/v1/tickets/count?customer=${customerId}&tag=${encodeURIComponent("物流")}`)).json().count).toBe(3);

    const byTag = (
      await agent.get(
        `/api/v1/tickets?tag=${encodeURIComponent("物流")}&customer=${(await agent.get(`/api/v1/tickets/${ids[0]}`)).json().customerId}`,
      )
    ).json().items;
    expect(byTag).toHaveLength(3);
    const search = (await agent.get(`/api/v1/tickets?q=${encodeURIComponent("物流")}&limit=200`))
      .json()
      .items.map((x: { id: number }) => x.id);
    expect(search).toEqual(expect.arrayContaining([ids[1], ids[3], ids[5]]));
    expect(search).not.toContain(ids[0]);
    const byNumber = (await agent.get(`/api/v1/tickets?q=${(await agent.get(`/api/v1/tickets/${ids[2]}`)).json().number}`)).json().items;
    expect(byNumber.map((x: { id: number }) => x.id)).toEqual([ids[2]]);
    const asc = (await agent.get(`/api/v1/tickets?sort=created_at&limit=2&status=new`)).json().items;
    expect(new Date(asc[0].createdAt) <= new Date(asc[1].createdAt)).toBe(true);
    // Priority order pages through every ticket once, most urgent first.
    const byPriority: { id: number; priority: string }[] = [];
    let next: string | null = null;
    do {
      const res = await admin.get(`/api/v1/tickets?sort=-priority&limit=4${next ? `&cursor=${next}` : ""}`);
      byPriority.push(...res.json().items);
      next = res.json().nextCursor;
    } while (next);
    const rank = { urgent: 4, high: 3, normal: 2, low: 1 } as Record<string, number>;
    expect(byPriority.map((x) => rank[x.priority])).toEqual([...byPriority.map((x) => rank[x.priority])].sort((a, b) => b - a));
    expect(new Set(byPriority.map((x) => x.id)).size).toBe(byPriority.length);
    const total = await t.ctx.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(byPriority).toHaveLength(Number(total.n));
    expect((await agent.get("/api/v1/tickets?status=bogus")).statusCode).toBe(400);
    expect((await agent.get("/api/v1/tickets?cursor=not-a-cursor")).statusCode).toBe(400);
  });

  it("unknown ids answer 404 in the error shape", async () => {
    const res = await agent.get("/api/v1/tickets/99999999");
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
    expect((await agent.get("/api/v1/tickets/abc")).statusCode).toBe(400);
  });
});
