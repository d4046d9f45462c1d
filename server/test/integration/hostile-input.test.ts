import fc from "fast-check";
import { assertClientError } from "../support/client-error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTicketInvariants } from "../support/invariants";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

/**
 * Random and hostile payloads at the ticket endpoints: no 5xx, every error in the shared shape,
 * and the database still satisfies its invariants afterwards.
 */
let t: TestApp;
let agent: Client;
let customer: Client;
let ticketId: number;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  const c = await t.factory.customer();
  customer = await t.signIn(c.email, PASSWORD, "customer");
  ticketId = (await agent.post("/api/v1/tickets", { subject: "fuzz base", customer: { email: c.email } })).json().id;
});
afterAll(() => t.close());

const hostileString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.constantFrom(
    "'; drop table tickets; --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\u0000",
    "a\u0000b",
    "\ud800",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style probe, literally
    "${jndi:ldap://x}",
    "%00",
    "../../etc/passwd",
    "订单号：DD2026112101 🙂",
    "\\u0000",
    "-1",
    "9999999999999999999999",
    "NaN",
  ),
  fc.string({ minLength: 5000, maxLength: 5000 }).map((s) => s.repeat(30)),
);

const leaf = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 10 }), tie("v"), { maxKeys: 4 }),
  ),
})).v;

const ticketLike = fc.record(
  {
    subject: fc.oneof(hostileString, value),
    description: fc.oneof(hostileString, value),
    customer: fc.oneof(
      value,
      fc.record({ email: fc.oneof(hostileString, fc.emailAddress()), name: hostileString, phone: hostileString }, { requiredKeys: [] }),
    ),
    priority: fc.oneof(fc.constantFrom("low", "normal", "high", "urgent"), value),
    status: fc.oneof(fc.constantFrom("new", "open", "pending", "on_hold", "solved", "closed"), value),
    categoryId: fc.oneof(fc.integer(), value),
    departmentId: fc.oneof(fc.integer(), value),
    assigneeId: fc.oneof(fc.integer(), value),
    tags: fc.oneof(fc.array(hostileString, { maxLength: 40 }), value),
    customFields: fc.oneof(fc.dictionary(hostileString, value, { maxKeys: 5 }), value),
    body: fc.oneof(hostileString, value),
    bodyHtml: fc.oneof(hostileString, value),
    visibility: fc.oneof(fc.constantFrom("public", "internal"), value),
    attachmentIds: fc.oneof(fc.array(fc.integer(), { maxLength: 5 }), value),
    __proto__: value,
    constructor: value,
  },
  { requiredKeys: [] },
);

// Mostly valid tickets with hostile text, so accepted writes are fuzzed too, not only rejections.
const validish = fc.record({
  subject: hostileString.filter((s) => s.trim().length > 0 && s.length <= 300),
  description: hostileString,
  customer: fc.record({
    email: fc.nat(50).map((n) => `fuzz${n}@example.cn`),
    name: hostileString.filter((s) => s.trim().length > 0 && s.length <= 200),
  }),
  tags: fc.array(fc.stringMatching(/^[a-z0-9\u4e00-\u9fa5]{1,10}$/), { maxLength: 3 }),
});

const deepNesting = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("hostile input", () => {
  it("random payloads at create, update, reply and list never produce a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        ticketLike,
        fc.constantFrom<"create" | "patch" | "message" | "customer-message">("create", "patch", "message", "customer-message"),
        async (payload, target) => {
          const res =
            target === "create"
              ? await agent.post("/api/v1/tickets", payload)
              : target === "patch"
                ? await agent.patch(`/api/v1/tickets/${ticketId}`, payload)
                : target === "message"
                  ? await agent.post(`/api/v1/tickets/${ticketId}/messages`, payload)
                  : await customer.post(`/api/v1/tickets/${ticketId}/messages`, payload);
          assertClientError(res, target);
        },
      ),
      { numRuns: 250, seed: 20261121 },
    );
  });

  it("hostile text inside otherwise valid tickets is stored safely or refused clearly", async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(validish, async (payload) => {
        const res = await agent.post("/api/v1/tickets", payload);
        assertClientError(res, "validish");
        if (res.statusCode === 201) {
          created++;
          const id = res.json().id;
          assertClientError(
            await agent.post(`/api/v1/tickets/${id}/messages`, { body: payload.description || "x", bodyHtml: payload.description }),
            "reply",
          );
          assertClientError(await agent.patch(`/api/v1/tickets/${id}`, { tags: payload.tags, subject: payload.subject }), "patch");
        }
      }),
      { numRuns: 120, seed: 42 },
    );
    expect(created).toBeGreaterThan(20);
  });

  it("random query strings at the list endpoint never produce a 5xx", async () => {
    const key = fc.constantFrom(
      "status",
      "priority",
      "assignee",
      "department",
      "customer",
      "category",
      "tag",
      "createdFrom",
      "createdTo",
      "q",
      "sort",
      "cursor",
      "limit",
      "x",
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, hostileString, { maxKeys: 5 }), async (query) => {
        const qs = Object.entries(query)
          .map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ""))}`)
          .join("&");
        assertClientError(await agent.get(`/api/v1/tickets?${qs}`), qs);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("malformed JSON, wrong content types, deep nesting, huge and odd ids are client errors", async () => {
    const raw = (method: "POST" | "PATCH", url: string, body: string, type = "application/json") =>
      agent.request(method, url, body, { "content-type": type });
    const cases = [
      await raw("POST", "/api/v1/tickets", "{"),
      await raw("POST", "/api/v1/tickets", '{"subject": "x",}'),
      await raw("POST", "/api/v1/tickets", "null"),
      await raw("POST", "/api/v1/tickets", "[]"),
      await raw("POST", "/api/v1/tickets", '"just a string"'),
      await raw("POST", "/api/v1/tickets", deepNesting(50_000)),
      await raw("POST", "/api/v1/tickets", `{"subject":${deepNesting(5000)}}`),
      await raw("POST", "/api/v1/tickets", '{"__proto__": {"admin": true}, "subject": "x"}'),
      await raw("POST", "/api/v1/tickets", "subject=x", "application/x-www-form-urlencoded"),
      await raw("POST", "/api/v1/tickets", "<xml/>", "text/xml"),
      await raw("PATCH", `/api/v1/tickets/${ticketId}`, Buffer.from([0xff, 0xfe, 0x7b, 0x22]).toString("latin1")),
      // Invalid UTF-8 bytes inside a JSON string, and a body that is not UTF-8 at all.
      await agent.request(
        "POST",
        "/api/v1/tickets",
        Buffer.concat([Buffer.from('{"subject":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
        { "content-type": "application/json" },
      ),
      await agent.request("POST", "/api/v1/tickets", Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]), { "content-type": "application/json" }),
      await agent.get("/api/v1/tickets/99999999999999999999"),
      await agent.get("/api/v1/tickets/-1"),
      await agent.get("/api/v1/tickets/1.5"),
      await agent.get(`/api/v1/tickets/${"9".repeat(300)}`),
      await agent.patch(`/api/v1/tickets/${ticketId}`, { priority: "high" }, { "if-match": "garbage" }),
      await agent.post("/api/v1/tickets", { subject: "x", customer: { email: "a@b.cn" } }, { "idempotency-key": "k".repeat(500) }),
    ];
    for (const [i, res] of cases.entries()) {
      assertClientError(res, `case ${i}`);
      expect(res.statusCode, `case ${i}`).toBeGreaterThanOrEqual(400);
    }
    const big = await raw("POST", "/api/v1/tickets", JSON.stringify({ subject: "x", description: "x".repeat(2 * 1024 * 1024) }));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe("payload_too_large");
  });

  it("the database still satisfies its invariants", async () => {
    await expectTicketInvariants(t.ctx.db);
    const tickets = await t.ctx.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(tickets.n)).toBeGreaterThan(1);
  });
});
