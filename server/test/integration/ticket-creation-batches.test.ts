import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

const words = ["打印机卡纸", "耳机没有声音", "发票抬头错误", "物流停在中转站", "屏幕有坏点", "充电器发烫", "退款没到账", "会员续费失败"];
const post = (body: Record<string, unknown>) => admin.post("/api/v1/tickets", body);
/** The transaction that wrote each ticket (PostgreSQL's xmin of its row). */
const writers = async (ids: number[]) =>
  (await sql<{ id: number; xmin: string }>`select id, xmin::text from tickets where id = any(${ids}::int[])`.execute(t.ctx.db)).rows;
const searched = async (q: string) =>
  (await admin.get(`/api/v1/search?q=${encodeURIComponent(q)}`)).json().tickets.map((x: { id: number }) => x.id) as number[];
const history = async (id: number) => (await admin.get(`/api/v1/tickets/${id}/events`)).json().items as { type: string; data: unknown }[];

describe("tickets created at the same moment", () => {
  it("share a transaction, and each is whole: its own customer, number, history, search document and domain event", async () => {
    const before = Number(
      (await sql<{ n: string }>`select count(*) as n from domain_events where type = 'ticket.created'`.execute(t.ctx.db)).rows[0]?.n,
    );
    const written = async () =>
      (await admin.get("/api/v1/system/database")).json().ticketCreation as { tickets: number; transactions: number };
    const written0 = await written();
    const bodies = words.map((w, i) => ({
      subject: w,
      description: `${w}，请处理 工单批次${i}号`,
      customer: { email: `batch${i}@example.cn`, name: `批次客户${i}` },
    }));
    const answers = await Promise.all(bodies.map(post));
    expect(answers.map((a) => a.statusCode)).toEqual(bodies.map(() => 201));
    const created = answers.map((a) => a.json());
    expect(created.map((c) => c.subject)).toEqual(words);
    expect(new Set(created.map((c) => c.number)).size).toBe(words.length);
    expect(new Set(created.map((c) => c.customerId)).size).toBe(words.length);
    // Each new customer with the name and contact the request gave.
    for (const [i, c] of created.entries()) {
      const customer = (await admin.get(`/api/v1/customers/${c.customerId}`)).json();
      expect([customer.name, customer.identities.map((x: { value: string }) => x.value)]).toEqual([
        `批次客户${i}`,
        [`batch${i}@example.cn`],
      ]);
    }
    // Written together: fewer transactions than tickets, as the operator's status reports.
    const transactions = new Set((await writers(created.map((c) => c.id))).map((w) => w.xmin)).size;
    expect(transactions).toBeLessThan(words.length);
    const written1 = await written();
    expect([written1.tickets - written0.tickets, written1.transactions - written0.transactions]).toEqual([words.length, transactions]);
    for (const [i, c] of created.entries()) {
      expect((await history(c.id)).map((e) => e.type)).toEqual(["created"]);
      expect(await searched(`工单批次${i}号`)).toEqual([c.id]);
    }
    const after = Number(
      (await sql<{ n: string }>`select count(*) as n from domain_events where type = 'ticket.created'`.execute(t.ctx.db)).rows[0]?.n,
    );
    expect(after - before).toBe(words.length);
    // Each event is about its own ticket of the shared transaction: its id, number and scope.
    const events = (
      await sql<{ aggregate_id: number; payload: { number: number; scope: { customerId: number } } }>`
        select aggregate_id, payload from domain_events
        where type = 'ticket.created' and aggregate_id = any(${created.map((c) => c.id)}::int[])`.execute(t.ctx.db)
    ).rows;
    const byId = (a: number[], b: number[]) => (a[0] as number) - (b[0] as number);
    expect(events.map((e) => [e.aggregate_id, e.payload.number, e.payload.scope.customerId]).sort(byId)).toEqual(
      created.map((c) => [c.id, c.number, c.customerId]).sort(byId),
    );
  });

  it("a customer's second request among them is checked against the first, and a new customer is created once", async () => {
    const same = { email: "twice@example.cn" };
    const answers = await Promise.all([
      post({ subject: "耳机左边没有声音", description: "订单 DD2026，左耳没声音", customer: same }),
      post({ subject: "发票抬头写错了", description: "请重开发票", customer: { email: "someone-else@example.cn" } }),
      post({ subject: "耳机左边还是没有声音", description: "左边耳机没声音，订单 DD2026", customer: same }),
    ]);
    const [first, , again] = answers.map((a) => a.json());
    expect(again.customerId).toBe(first.customerId);
    // Whichever was written first, the other is its duplicate.
    const [original, repeat] = first.id < again.id ? [first, again] : [again, first];
    expect((await admin.get(`/api/v1/tickets/${repeat.id}`)).json().duplicateOfId).toBe(original.id);
    expect((await admin.get(`/api/v1/tickets/${original.id}`)).json().duplicateOfId).toBeNull();
    expect((await history(original.id)).map((e) => e.type)).toEqual(["created", "duplicate_linked"]);
    expect((await admin.get(`/api/v1/customers?q=${encodeURIComponent("twice@example.cn")}`)).json().items).toHaveLength(1);
  });

  it("returning customers are found by their contact, a signed-in customer's own request joins, and a merged customer's contact leads to the survivor", async () => {
    const known = await t.factory.customer();
    const gone = await t.factory.customer();
    const survivor = await t.factory.customer({ name: "合并后的客户" });
    expect((await admin.post(`/api/v1/customers/${survivor.id}/merge`, { customerId: gone.id })).statusCode).toBe(200);
    const portal = await t.signIn(known.email, PASSWORD, "customer");
    const customers = async () => Number((await sql<{ n: string }>`select count(*) as n from customers`.execute(t.ctx.db)).rows[0]?.n);
    const before = await customers();
    const answers = await Promise.all([
      post({ subject: "老客户来信", description: "找回老客户 一号", customer: { email: known.email } }),
      portal.post("/api/v1/tickets", { subject: "门户提交", description: "门户自己提交 二号" }),
      post({ subject: "合并客户来信", description: "被合并的联系人 三号", customer: { email: gone.email } }),
      post({ subject: "新客户来电", description: "新的电话客户 四号", customer: { phone: "139 0000 2222" } }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201]);
    const [a, b, c, d] = answers.map((x) => x.json());
    const own = (await admin.get(`/api/v1/tickets/${b.id}`)).json();
    expect([a.customerId, own.customerId, c.customerId]).toEqual([known.id, known.id, survivor.id]);
    const identities = (await admin.get(`/api/v1/customers/${d.customerId}`)).json().identities as { kind: string; value: string }[];
    expect(identities.map((i) => `${i.kind}:${i.value}`)).toEqual(["phone:13900002222"]);
    expect((await admin.get(`/api/v1/customers/${d.customerId}`)).json().name).toBe("139 0000 2222");
    // One customer more (the new caller's): none left behind for the merged contact.
    expect(await customers()).toBe(before + 1);
  });

  it("each answer is the ticket as stored: its texts, tags, custom fields, contact's customer and times", async () => {
    for (const [key, label] of [
      ["zz_serial", "序列号"],
      ["a", "型号"],
    ])
      expect((await admin.post("/api/v1/custom-fields", { entity: "ticket", key, label, type: "text" })).statusCode).toBe(201);
    const answers = await Promise.all(
      ["一", "二", "三"].map((n, i) =>
        post({
          subject: `答复即存储 ${n}`,
          description: `耳机充电盒${n}号不亮`,
          tags: ["耳机", `批${i}`, "耳机"],
          priority: i === 1 ? "urgent" : "normal",
          customFields: { zz_serial: `SN-${i}`, a: `X${i}` },
          customer: i === 2 ? { phone: "139 0000 3333" } : { email: `stored${i}@example.cn` },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    // What routing and SLA may change afterwards is left out (and the reader's access, which only a read tells); everything the creation wrote is compared.
    const changing = ["access", "status", "assigneeId", "teamId", "routingStatus", "version", "updatedAt", "priorityScore"];
    const written = (x: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(x).filter(([k]) => !changing.includes(k) && !/Due/.test(k)));
    for (const a of answers) {
      const answer = a.json();
      const stored = (await admin.get(`/api/v1/tickets/${answer.id}`)).json();
      expect(written(answer)).toEqual(written(stored));
      expect([...Object.keys(answer), "access"].sort()).toEqual(Object.keys(stored).sort());
    }
    expect(answers.map((a) => a.json().tags)).toEqual([
      ["耳机", "批0"],
      ["耳机", "批1"],
      ["耳机", "批2"],
    ]);
    expect(answers[1]?.json().customFields).toEqual({ zz_serial: "SN-1", a: "X1" });
  });

  it("one request's failure is its own: the others are created, the failing one gets its error", async () => {
    const answers = await Promise.all([
      post({ subject: "屏幕闪烁", description: "批次失败测试一", customer: { email: "ok1@example.cn" } }),
      post({ subject: "屏幕闪烁", description: "批次失败测试二", customer: { id: 999_999 } }),
      post({ subject: "键盘失灵", description: "批次失败测试三", customer: { phone: "13800001111" } }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 400, 201]);
    expect(answers[1]?.json()).toMatchObject({ error: { code: "validation_failed", details: [{ path: "customer.id" }] } });
    expect(await searched("批次失败测试一")).toEqual([answers[0]?.json().id]);
    expect(await searched("批次失败测试三")).toEqual([answers[2]?.json().id]);
    expect(await searched("批次失败测试二")).toEqual([]);
  });
});
