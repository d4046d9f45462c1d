import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let agent: Client;
const ids: number[] = [];
let hiddenCustomer: { id: number };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  const mine = await t.factory.department("售后");
  const other = await t.factory.department("财务");
  agent = await t.signIn((await t.factory.staff({ departmentIds: [mine.id] })).email, PASSWORD);
  const org = (await admin.post("/api/v1/organizations", { name: "杭州云帆科技" })).json();
  const customer = (
    await admin.post("/api/v1/customers", {
      name: "王小红",
      email: "xiaohong@example.cn",
      phone: "+8613912345678",
      organizationId: org.id,
    })
  ).json();
  for (let i = 0; i < 6; i++)
    ids.push(
      (await admin.post("/api/v1/tickets", { subject: `咨询 ${i}`, customer: { id: customer.id }, departmentId: mine.id })).json().id,
    );
  // Someone whose tickets this agent may not see.
  hiddenCustomer = (await admin.post("/api/v1/customers", { name: "王秘密", email: "secret@example.cn" })).json();
  await admin.post("/api/v1/tickets", { subject: "财务问题", customer: { id: hiddenCustomer.id }, departmentId: other.id });
});
afterAll(() => t.close());

const found = async (q: string) =>
  ((await agent.get(`/api/v1/tickets?q=${encodeURIComponent(q)}&limit=50`)).json().items as { id: number }[]).map((x) => x.id).sort();

describe("search", () => {
  it("finds a new ticket, a new reply and a new subject the moment they commit (no background job in between)", async () => {
    const dep = (await agent.get("/api/v1/me")).json().user.departmentIds[0];
    const created = (
      await agent.post("/api/v1/tickets", {
        subject: "打印机卡纸",
        description: "型号 LaserJet-M1136，每次打印都卡",
        customer: { email: "printer@example.cn" },
        departmentId: dep,
      })
    ).json();
    // No worker runs in this test app: whatever search finds was written with the ticket itself.
    expect(await found("卡纸")).toContain(created.id);
    expect(await found("laserjet")).toContain(created.id);
    expect(await found("快递单号")).not.toContain(created.id);
    await agent.post(`/api/v1/tickets/${created.id}/messages`, { body: "已寄回，快递单号 SF1234567890" });
    expect(await found("SF1234567890")).toContain(created.id);
    expect(await found("快递单号")).toContain(created.id);
    await agent.patch(`/api/v1/tickets/${created.id}`, { subject: "显示器花屏" });
    expect(await found("花屏")).toContain(created.id);
    // The description and the reply are still in it; the old subject is not.
    expect(await found("laserjet")).toContain(created.id);
    expect(await found("卡纸")).not.toContain(created.id);
    expect(await found("SF1234567890")).toContain(created.id);
  });

  it("finds a customer's tickets by name, phone (with or without +86, spaces, dashes), email or organization", async () => {
    const all = [...ids].sort();
    for (const q of [
      "王小红",
      "王小",
      "13912345678",
      "+86 139 1234 5678",
      "139-1234-5678",
      "8613912345678",
      "xiaohong@example.cn",
      "XiaoHong@Example.cn",
      "云帆科技",
    ])
      expect(await found(q), q).toEqual(all);
    // Part of the number: its first digits, or its last four (尾号) — not digits from its middle.
    for (const q of ["1391234", "139 1234", "+86 1391", "5678", "345678"]) expect(await found(q), q).toEqual(all);
    expect(await found("9123")).toEqual([]);
    // Only within what the agent may see: the other customer's ticket is not found by name.
    expect(await found("王秘密")).toEqual([]);
  });

  it("suggests tickets and customers as you type, never counting tickets outside the caller's scope", async () => {
    const res = await agent.get(`/api/v1/search?q=${encodeURIComponent("王")}`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.customers).toEqual([expect.objectContaining({ name: "王小红", visibleTickets: 6 })]);
    expect(s.tickets.length).toBeGreaterThan(0);
    expect(s.tickets.every((x: { id: number }) => ids.includes(x.id))).toBe(true);
    // The administrator sees both customers.
    const names = (await admin.get(`/api/v1/search?q=${encodeURIComponent("王")}`)).json().customers.map((c: { name: string }) => c.name);
    expect(names.sort()).toEqual(["王小红", "王秘密"]);
    expect((await agent.get("/api/v1/search?q=")).statusCode).toBe(400);
  });

  it("ranks results: a number typed in full first, then the tickets whose subject and text match best, newest on ties", async () => {
    const create = async (subject: string, description: string) =>
      (await admin.post("/api/v1/tickets", { subject, description, customer: { email: "rank@example.cn" } })).json() as {
        id: number;
        number: number;
      };
    const best = await create("退款没有到账", "上周申请的退款一直没有到账，请尽快处理");
    const words = await create("订单问题", "物流很慢。另外退款的事情也麻烦看看，还有发票没开，到账时间也不清楚");
    const once = await create("咨询", "想问一下退款多久到账");
    const ranked = async (q: string, who = admin) =>
      ((await who.get(`/api/v1/tickets?q=${encodeURIComponent(q)}&sort=relevance&limit=50`)).json().items as { id: number }[]).map(
        (x) => x.id,
      );
    // Newest first would put `once` and `words` before `best`.
    const order = await ranked("退款 到账");
    expect(order.filter((id) => [best.id, words.id, once.id].includes(id))).toEqual([best.id, once.id, words.id]);
    // A ticket's number typed in full comes before tickets that merely mention it.
    const mention = await create("转交", `跟进工单 ${best.number} 的退款`);
    expect((await ranked(String(best.number)))[0]).toBe(best.id);
    expect(await ranked(String(best.number))).toContain(mention.id);
    // Pages follow the same order without repeats.
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await admin.get(`/api/v1/tickets?q=${encodeURIComponent("退款 到账")}&sort=relevance&limit=1${cursor ? `&cursor=${cursor}` : ""}`)
      ).json() as { items: { id: number }[]; nextCursor: string | null };
      paged.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(order);
    // The top bar offers the best match first; ranking needs a search text.
    expect((await admin.get(`/api/v1/search?q=${encodeURIComponent("退款 到账")}`)).json().tickets[0].id).toBe(best.id);
    const unranked = await admin.get("/api/v1/tickets?sort=relevance");
    expect(unranked.statusCode).toBe(400);
    expect(unranked.json().error.details[0]).toMatchObject({ path: "sort", code: "needs_search" });
  });
});
