import fc from "fast-check";
import { sql } from "kysely";
import { assertClientError } from "../support/client-error";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

/**
 * Every route of the API, from its own description, gets generated hostile requests — odd path
 * parameters, query strings and bodies — as an administrator, an agent, a customer and nobody:
 * never a 5xx, every error in the shared shape, and the data nobody addressed is unchanged.
 */
let t: TestApp;
let clients: Record<"admin" | "agent" | "customer" | "anonymous", Client>;
const ADMIN_EMAIL = "fuzz-admin@example.cn";
/** The people who existed before fuzzing (new ones may be created by it). */
let firstStaff = 0;
type Operation = { method: string; path: string; params: string[]; query: string[]; bodyKeys: string[] };
let operations: Operation[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.factory.staff({ role: "admin", email: ADMIN_EMAIL });
  const agent = await t.factory.staff({ name: "无关客服" });
  const customer = await t.factory.customer({ name: "无关客户" });
  firstStaff = agent.id;
  clients = {
    admin: await t.signIn(admin.email, PASSWORD),
    agent: await t.signIn(agent.email, PASSWORD),
    customer: await t.signIn(customer.email, PASSWORD, "customer"),
    anonymous: t.anonymous,
  };
  // Data nobody addresses: the fuzzed ids never reach it (they are out of its range or not numbers).
  await clients.agent.post("/api/v1/tickets", { subject: "无关工单", description: "不应被改动", customer: { email: customer.email } });
  const doc = (await t.anonymous.get("/api/v1/openapi.json")).json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters: { name: string; in: string }[];
          requestBody?: { content: { "application/json": { schema: { properties?: Record<string, unknown> } } } };
        }
      >
    >;
  };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      params: op.parameters.filter((p) => p.in === "path").map((p) => p.name),
      query: op.parameters.filter((p) => p.in === "query").map((p) => p.name),
      bodyKeys: Object.keys(op.requestBody?.content["application/json"].schema.properties ?? {}),
    })),
  );
  // A stream never ends; signing out or changing one's password would only end the fuzzer's own session.
  operations = operations.filter(
    (o) => o.path !== "/api/v1/stream" && o.path !== "/api/v1/auth/logout" && o.path !== "/api/v1/me/password",
  );
});
afterAll(() => t.close());

/** Rows the fuzzer must not change, as text. */
const untouched = async () =>
  (
    await sql<{ row: string }>`
      select (select string_agg(t::text, '|' order by id) from tickets t where subject = '无关工单') ||
             (select string_agg(s.id || s.email || s.role || s.active || coalesce(s.password_hash, ''), '|' order by id) from staff s where s.id <= ${firstStaff}) ||
             (select string_agg(c.id || c.name, '|' order by id) from customers c where name = '无关客户') as row`.execute(t.ctx.db)
  ).rows[0]?.row;

const hostileText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(
    "'; drop table tickets; --",
    "<script>alert(1)</script>",
    "\u0000",
    "%00",
    "../../etc/passwd",
    "-1",
    "NaN",
    "1e309",
    "订单 🙂",
    "[]",
    "{}",
  ),
);
const hostileId = fc.oneof(
  fc.integer({ min: 1_000_000, max: 2_147_483_647 }),
  fc.constantFrom("0", "-1", "1.5", "99999999999999999999", "abc", "%20", "null", "undefined", "__proto__", "%E4%B8%AD"),
  hostileText.map((s) => encodeURIComponent(s).slice(0, 40) || "x"),
);
const leaf = fc.oneof(hostileText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("v"), { maxKeys: 3 }),
  ),
})).v;

describe("hostile requests at every route", () => {
  it("10,000 generated requests across all routes and roles: no 5xx, errors in the shared shape, unrelated data unchanged", async () => {
    expect(operations.length).toBeGreaterThan(200);
    const postgres = inject("engine") === "postgres";
    const before = await untouched();
    const seen = new Set<string>();
    const request = fc
      .record({
        op: fc.integer({ min: 0, max: operations.length - 1 }),
        who: fc.constantFrom("admin", "admin", "agent", "customer", "anonymous"),
      })
      .chain(({ op, who }) => {
        const o = operations[op] as Operation;
        return fc.record({
          o: fc.constant(o),
          who: fc.constant(who as keyof typeof clients),
          ids: fc.array(hostileId, { minLength: o.params.length, maxLength: o.params.length }),
          query: fc.dictionary(fc.oneof(fc.constantFrom(...(o.query.length ? o.query : ["x"])), fc.string({ maxLength: 5 })), hostileText, {
            maxKeys: 3,
          }),
          body: fc.oneof(value, fc.dictionary(fc.constantFrom(...(o.bodyKeys.length ? o.bodyKeys : ["x"])), value, { maxKeys: 4 })),
        });
      });
    await fc.assert(
      fc.asyncProperty(request, async ({ o, who, ids, query, body }) => {
        let path = o.path;
        o.params.forEach((p, i) => {
          path = path.replace(`{${p}}`, String(ids[i]));
        });
        const qs = Object.entries(query)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ""))}`)
          .join("&");
        const url = qs ? `${path}?${qs}` : path;
        const client = clients[who];
        const res = await client.request(
          o.method as "GET",
          url,
          o.method === "GET" || o.method === "DELETE" ? undefined : (body as object),
        );
        seen.add(`${o.method} ${o.path}`);
        assertClientError(res, `${who} ${o.method} ${url}`);
      }),
      // 10,000 on the embedded engine; on PostgreSQL (the same SQL, another server) 2,000 more with another seed.
      { numRuns: Number(process.env.LOOPDESK_FUZZ_RUNS ?? (postgres ? 2_000 : 10_000)), seed: postgres ? 4 : 20261204 },
    );
    expect(seen.size).toBeGreaterThan(operations.length * 0.9);
    expect(await untouched()).toBe(before);
  });

  it("found by it: an empty change, a cut-off %-escape in the path, and mail asked of a server without mail are client errors", async () => {
    const dept = (await clients.admin.post("/api/v1/departments", { name: "空修改" })).json();
    const empty = await clients.admin.patch(`/api/v1/departments/${dept.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details).toEqual([expect.objectContaining({ code: "empty_change" })]);
    const cut = await clients.admin.get("/api/v1/tickets/%E4%B8/messages");
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.code).toBe("validation_failed");
    expect((await clients.admin.post("/api/v1/staff/1000000/invitation")).statusCode).toBe(404);
    const staff = await t.factory.staff();
    expect((await clients.admin.post(`/api/v1/staff/${staff.id}/invitation`)).json().error.code).toBe("mail_unavailable");
  });
});
