import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let agent: Client;
let agentId: number;
let agentEmail: string;
beforeAll(async () => {
  t = await createTestApp();
  const staff = await t.factory.staff({ role: "agent", name: "小李" });
  agentId = staff.id;
  agentEmail = staff.email;
  agent = await t.signIn(staff.email, PASSWORD);
});
afterAll(() => t.close());

const call = (body: Record<string, unknown>, client = agent) => client.post("/api/v1/calls", body);
const started = "2026-11-22T09:00:00+08:00";

describe("phone intake (call records)", () => {
  it("a first call opens a phone ticket for the caller, assigned to the agent who took it; the call shows on the timeline", async () => {
    const res = await call({
      callId: "cc-1001",
      customerNumber: "138 0013 8000",
      customerName: "王先生",
      lineNumber: "400-820-0000",
      startedAt: started,
      answeredAt: "2026-11-22T09:00:12+08:00",
      endedAt: "2026-11-22T09:03:24+08:00",
      recordingUrl: "https://recordings.example.com/cc-1001.mp3",
      agentId,
      notes: "客户反映扫地机不回充",
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ outcome: "created", callId: "cc-1001" });
    const ticket = (await agent.get(`/api/v1/tickets/${res.json().ticketId}`)).json();
    expect(ticket).toMatchObject({
      channel: "phone",
      subject: "来电 138 0013 8000",
      assigneeId: agentId,
      description: "客户反映扫地机不回充",
    });
    const customer = (await agent.get(`/api/v1/customers/${ticket.customerId}`)).json();
    expect(customer.name).toBe("王先生");
    expect(customer.identities).toEqual([expect.objectContaining({ kind: "phone", value: "13800138000" })]);
    const events = (await agent.get(`/api/v1/tickets/${ticket.id}/events`)).json().items as {
      type: string;
      data: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.type === "call_logged")?.data).toEqual({
      direction: "inbound",
      number: "138 0013 8000",
      answered: true,
      seconds: 192,
      recordingUrl: "https://recordings.example.com/cc-1001.mp3",
    });
  });

  it("the caller's next call joins their open phone ticket (notes as an internal note); the same call posted twice changes nothing", async () => {
    const first = (await call({ callId: "cc-2001", customerNumber: "13900139000", startedAt: started, agentEmail })).json();
    const again = await call({ callId: "cc-2002", customerNumber: "139-0013-9000", startedAt: started, agentEmail, notes: "客户追问进度" });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ outcome: "appended", ticketId: first.ticketId, customerId: first.customerId });
    const messages = (await agent.get(`/api/v1/tickets/${first.ticketId}/messages`)).json().items as {
      bodyText: string;
      visibility: string;
    }[];
    expect(messages).toEqual([expect.objectContaining({ bodyText: "客户追问进度", visibility: "internal" })]);
    const replay = await call({ callId: "cc-2002", customerNumber: "13900139000", startedAt: started, agentEmail, notes: "客户追问进度" });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().outcome).toBe("duplicate");
    expect((await agent.get(`/api/v1/tickets/${first.ticketId}/messages`)).json().items).toHaveLength(1);
    const events = (await agent.get(`/api/v1/tickets/${first.ticketId}/events`)).json().items as { type: string }[];
    expect(events.filter((e) => e.type === "call_logged")).toHaveLength(2);
  });

  it("a solved ticket is not joined: the next call opens a new one", async () => {
    const first = (await call({ callId: "cc-3001", customerNumber: "13700137000", startedAt: started })).json();
    await agent.post(`/api/v1/tickets/${first.ticketId}/messages`, { body: "已处理", visibility: "public", status: "solved" });
    const next = (await call({ callId: "cc-3002", customerNumber: "13700137000", startedAt: started })).json();
    expect(next.outcome).toBe("created");
    expect(next.ticketId).not.toBe(first.ticketId);
  });

  it("bad input is refused with the field named; customers cannot post calls", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ callId: "x", customerNumber: "not a number", startedAt: started }, "customerNumber"],
      [{ callId: "x", customerNumber: "13800000000", startedAt: "yesterday" }, "startedAt"],
      [{ callId: "x", customerNumber: "13800000000", startedAt: started, endedAt: "2026-11-22T08:00:00+08:00" }, "endedAt"],
      [{ callId: "x", customerNumber: "13800000000", startedAt: started, recordingUrl: "javascript:alert(1)" }, "recordingUrl"],
      [{ callId: "x", customerNumber: "13800000000", startedAt: started, agentId: 999999 }, "agentId"],
      [{ callId: "x", customerNumber: "13800000000", startedAt: started, agentEmail: "nobody@example.com" }, "agentEmail"],
      [{ callId: "x", customerNumber: "13800000000", startedAt: started, categoryId: 999999 }, "categoryId"],
    ];
    for (const [body, path] of cases) {
      const res = await call(body);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.details[0].path).toBe(path);
    }
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await portal.post("/api/v1/calls", { callId: "y", customerNumber: "13800000000", startedAt: started })).statusCode).toBe(403);
  });
});
