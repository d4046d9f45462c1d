import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpRecorder } from "../support/http-recorder";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let erp: Awaited<ReturnType<typeof startHttpRecorder>>;
let failNext = false;

beforeAll(async () => {
  // The company's ERP: orders by phone number, behind an API key.
  erp = await startHttpRecorder((req) => {
    if (failNext) {
      failNext = false;
      return { status: 503, body: "{}" };
    }
    if (req.headers["x-api-key"] !== "erp-key-123") return { status: 401, body: "{}" };
    const phone = new URL(req.url, "http://x").searchParams.get("phone");
    return {
      status: 200,
      body: JSON.stringify({
        data: {
          orders:
            phone === "13800138000"
              ? [
                  { no: "DD2026112200001", items: [{ model: "X200" }], paid: 399 },
                  { no: "DD2026010100002", items: [{ model: "H3" }], paid: 99 },
                ]
              : [],
        },
      }),
    };
  });
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  await admin.post("/api/v1/custom-fields", { entity: "ticket", key: "order_no", label: "订单号", type: "text" });
  await admin.post("/api/v1/custom-fields", { entity: "ticket", key: "device_model", label: "型号", type: "text" });
});
afterAll(async () => {
  await t.close();
  await erp.stop();
});

const settings = () => ({
  enabled: true,
  urlTemplate: `${erp.url}/orders?phone={{customer.phone}}&order={{fields.order_no}}`,
  authHeaderName: "X-Api-Key",
  authHeaderValue: "erp-key-123",
  recordsPath: "data.orders",
  columns: [
    { label: "订单号", path: "no" },
    { label: "型号", path: "items[0].model" },
  ],
  fill: [
    { field: "order_no", path: "no" },
    { field: "device_model", path: "items[0].model" },
  ],
  cacheMinutes: 10,
});

describe("CRM/ERP lookup", () => {
  it("asks the company's system about the ticket's customer with the configured header, shows the records, caches, and fills fields", async () => {
    const saved = await admin.request("PUT", "/api/v1/crm/settings", settings());
    expect(saved.statusCode).toBe(200);
    expect(JSON.stringify(saved.json())).not.toContain("erp-key-123");
    expect(saved.json().authHeaderSet).toBe(true);

    const call = (
      await admin.post("/api/v1/calls", { callId: "crm-1", customerNumber: "138 0013 8000", startedAt: new Date().toISOString() })
    ).json();
    const before = erp.requests.length;
    const res = (await admin.get(`/api/v1/tickets/${call.ticketId}/crm`)).json();
    expect(res).toMatchObject({ enabled: true, cached: false, error: null });
    expect(res.records.map((r: { values: string[] }) => r.values)).toEqual([
      ["DD2026112200001", "X200"],
      ["DD2026010100002", "H3"],
    ]);
    expect(res.records[0].fill).toEqual({ order_no: "DD2026112200001", device_model: "X200" });
    const sent = erp.requests[before];
    expect(sent?.url).toBe("/orders?phone=13800138000&order=");
    expect(sent?.headers["x-api-key"]).toBe("erp-key-123");
    // Cached: the next view does not ask again; refresh does.
    expect((await admin.get(`/api/v1/tickets/${call.ticketId}/crm`)).json().cached).toBe(true);
    expect(erp.requests.length).toBe(before + 1);
    await admin.get(`/api/v1/tickets/${call.ticketId}/crm?refresh=true`);
    expect(erp.requests.length).toBe(before + 2);
  });

  it("a failing or unreachable system is an error on the card, never a failed request; customers cannot look", async () => {
    const call = (
      await admin.post("/api/v1/calls", { callId: "crm-2", customerNumber: "13900139000", startedAt: new Date().toISOString() })
    ).json();
    failNext = true;
    const failed = await admin.get(`/api/v1/tickets/${call.ticketId}/crm?refresh=true`);
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toMatchObject({ records: [], error: "answered 503" });
    await admin.request("PUT", "/api/v1/crm/settings", {
      ...settings(),
      authHeaderValue: undefined,
      urlTemplate: "http://127.0.0.1:1/orders?phone={{customer.phone}}",
      timeoutMs: 1000,
    });
    const down = (await admin.get(`/api/v1/tickets/${call.ticketId}/crm`)).json();
    expect(down.error).toBeTruthy();
    expect(JSON.stringify(down)).not.toContain("13900139000");
    // Bad set-up is refused with the field named.
    const bad = await admin.request("PUT", "/api/v1/crm/settings", { ...settings(), urlTemplate: "ftp://erp" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("urlTemplate");
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await portal.get(`/api/v1/tickets/${call.ticketId}/crm`)).statusCode).toBe(403);
    const agent = await t.signIn((await t.factory.staff({ role: "agent" })).email, PASSWORD);
    expect((await agent.get("/api/v1/crm/settings")).statusCode).toBe(403);
  });
});
