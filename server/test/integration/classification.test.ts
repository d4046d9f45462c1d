import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETRAIN_QUEUE } from "../../src/modules/classification/classification-jobs";
import { enqueue } from "../../src/platform/jobs/job-queue";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * 智能分类 on the workspace's own handled tickets: trained on demand with its held-out accuracy,
 * applied to a new ticket without a category when confident (its department and routing follow),
 * only suggested below the threshold, never over a category a person chose.
 */
let t: TestApp;
let admin: Client;
let agent: Client;
const cats: Record<string, { id: number; departmentId: number }> = {};

/** Requests of three kinds, written many ways (what customers of each kind actually write). */
const PHRASES: Record<string, { subjects: string[]; details: string[] }> = {
  发票: {
    subjects: ["发票抬头开错了", "申请开具增值税专用发票", "电子发票没收到", "发票税号填错", "要补开发票", "发票金额不对"],
    details: ["公司名称需要更正", "报销急用，麻烦尽快", "税号是 91310000MA1K", "请重新开票发到邮箱", "财务要求专票"],
  },
  物流: {
    subjects: ["快递三天没动了", "包裹显示已签收但没收到", "物流信息一直不更新", "配送员态度差还没送到", "快递送错地址", "什么时候发货"],
    details: ["单号 SF1234567", "急着用，能催一下吗", "小区门卫说没见到", "显示在中转站好几天", "能不能改送公司"],
  },
  退换货: {
    subjects: [
      "衣服尺码不合适想退货",
      "收到的商品有破损要换",
      "申请七天无理由退货",
      "鞋子颜色不对想换",
      "退货后退款还没到账",
      "质量有问题要求退换",
    ],
    details: ["吊牌还在没穿过", "包装盒压坏了", "已经寄回了", "想换大一码", "请给个退货地址"],
  },
};

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  for (const [name, dept] of [
    ["发票", "财务"],
    ["物流", "仓储物流"],
    ["退换货", "售后服务"],
  ] as const) {
    const departmentId = (await t.factory.department(dept)).id;
    const created = await admin.post("/api/v1/categories", { name, departmentId });
    expect(created.statusCode).toBe(201);
    cats[name] = { id: created.json().id, departmentId };
  }
  agent = await t.signIn((await t.factory.staff({ name: "分类客服" })).email, PASSWORD);
});
afterAll(() => t.close());

async function handledTickets(perCategory: number) {
  const customer = await t.factory.customer();
  const ids: number[] = [];
  let n = 0;
  for (const [name, p] of Object.entries(PHRASES))
    for (let i = 0; i < perCategory; i++) {
      n++;
      const subject = p.subjects[i % p.subjects.length] as string;
      const detail = p.details[(i * 7 + n) % p.details.length] as string;
      const ticket = (
        await admin.post("/api/v1/tickets", {
          subject,
          description: `${detail}。${subject}`,
          customer: { id: customer.id },
          categoryId: cats[name]?.id,
        })
      ).json();
      ids.push(ticket.id);
    }
  // Handled: solved (how they were solved is not what the classifier learns).
  await t.ctx.db.updateTable("tickets").set({ status: "solved", solved_at: new Date() }).where("id", "in", ids).execute();
}

describe("smart classification (智能分类)", () => {
  it("refuses to learn from too few handled tickets, in the shared error shape", async () => {
    await handledTickets(2);
    const res = await admin.post("/api/v1/classification/train", {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: "examples", code: "too_few" });
    expect((await admin.get("/api/v1/classification")).json()).toMatchObject({ model: null, minExamples: 30 });
  });

  it("learns from handled tickets, shows its held-out accuracy, and files a new uncategorised ticket itself", async () => {
    await handledTickets(40);
    expect((await agent.post("/api/v1/classification/train", {})).statusCode).toBe(403);
    const trained = await admin.post("/api/v1/classification/train", {});
    expect(trained.statusCode).toBe(201);
    const model = trained.json();
    expect(model.heldOut).toBeGreaterThan(5);
    expect(model.examples + model.heldOut).toBe(126);
    expect(model.top1).toBeGreaterThan(0.85);
    expect(model.top3).toBe(1);
    expect(model.categories.map((c: { categoryId: number }) => c.categoryId).sort()).toEqual(
      Object.values(cats)
        .map((c) => c.id)
        .sort(),
    );

    // A customer writes without choosing a category.
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    const created = await portal.post("/api/v1/tickets", { subject: "增值税发票抬头写错了", description: "麻烦重新开票，税号不对" });
    expect(created.statusCode).toBe(201);
    const ticket = (await admin.get(`/api/v1/tickets/${created.json().id}`)).json();
    expect(ticket).toMatchObject({ categoryId: cats.发票?.id, departmentId: cats.发票?.departmentId });
    const suggestion = (await admin.get(`/api/v1/tickets/${ticket.id}/category-suggestion`)).json().suggestion;
    expect(suggestion).toMatchObject({ categoryId: cats.发票?.id, applied: true });
    expect(suggestion.confidence).toBeGreaterThanOrEqual(0.8);
    const events = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items as { type: string }[];
    expect(events.map((e) => e.type)).toContain("category_classified");
    const status = (await admin.get("/api/v1/classification")).json();
    expect(status.usage).toMatchObject({ suggested: 1, applied: 1, corrected: 0 });
    // An agent who moves it to another category counts as a correction.
    await admin.patch(`/api/v1/tickets/${ticket.id}`, { categoryId: cats.物流?.id });
    expect((await admin.get("/api/v1/classification")).json().usage).toMatchObject({ corrected: 1 });
  });

  it("a request filed under a suggested category fills that category's fields from its text, and is asked only for what it lacks", async () => {
    const field = await admin.post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "order_no",
      label: "订单号",
      type: "text",
      required: true,
      pattern: "^DD\\d{8,12}$",
      categoryIds: [cats.物流?.id],
    });
    expect(field.statusCode).toBe(201);
    const portal = await t.signIn((await t.factory.customer()).email, PASSWORD, "customer");
    const stated = (
      await portal.post("/api/v1/tickets", { subject: "包裹显示已签收但没收到", description: "小区门卫说没见到，订单号 DD20261130" })
    ).json();
    const withNumber = (await admin.get(`/api/v1/tickets/${stated.id}`)).json();
    expect(withNumber).toMatchObject({ categoryId: cats.物流?.id, customFields: { order_no: "DD20261130" }, missingFields: [] });
    // Without the number the request is still taken (the customer did not choose the category), and the number is asked for.
    const lacking = await portal.post("/api/v1/tickets", { subject: "快递三天没动了", description: "物流信息一直不更新，急着用" });
    expect(lacking.statusCode).toBe(201);
    expect((await admin.get(`/api/v1/tickets/${lacking.json().id}`)).json()).toMatchObject({
      categoryId: cats.物流?.id,
      missingFields: ["order_no"],
    });
    expect((await admin.patch(`/api/v1/custom-fields/${field.json().id}`, { active: false })).statusCode).toBe(200);
  });

  it("answers the category it would choose for a text still being written (the staff's new-ticket form), recording nothing", async () => {
    const before = (await admin.get("/api/v1/classification")).json().usage;
    const guess = await agent.post("/api/v1/classification/suggest", { subject: "客户来电：发票抬头开错了", description: "要求重新开票" });
    expect(guess.statusCode).toBe(200);
    expect(guess.json().suggestion).toMatchObject({ categoryId: cats.发票?.id });
    expect(guess.json().suggestion.confidence).toBeGreaterThan(0.5);
    expect((await agent.post("/api/v1/classification/suggest", { subject: " ", description: "" })).json()).toEqual({ suggestion: null });
    expect((await agent.post("/api/v1/classification/suggest", { subject: "x".repeat(301) })).statusCode).toBe(400);
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await portal.post("/api/v1/classification/suggest", { subject: "发票抬头开错了" })).statusCode).toBe(403);
    expect((await admin.get("/api/v1/classification")).json().usage).toEqual(before);
  });

  it("relearns on schedule when the model is older than the retraining period, without holding the job's transaction", async () => {
    const before = (await admin.get("/api/v1/classification")).json().model.id;
    await t.ctx.db
      .updateTable("classifier_models")
      .set({ created_at: new Date(Date.now() - 8 * 86_400_000) })
      .execute();
    await enqueue(t.ctx.db, RETRAIN_QUEUE, {});
    await expect
      .poll(
        async () => {
          await t.ctx.jobs.drain();
          return (await admin.get("/api/v1/classification")).json().model.id;
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBeGreaterThan(before);
  });

  it("below the threshold it only suggests; a category a person chose is kept; switched off it stays quiet", async () => {
    const customer = await t.factory.customer();
    expect((await admin.patch("/api/v1/classification", { threshold: 1 })).json()).toMatchObject({ threshold: 1, enabled: true });
    const unsure = (
      await admin.post("/api/v1/tickets", { subject: "快递还没到", description: "物流不动", customer: { id: customer.id } })
    ).json();
    expect(unsure.categoryId).toBeNull();
    expect((await admin.get(`/api/v1/tickets/${unsure.id}/category-suggestion`)).json().suggestion).toMatchObject({
      categoryId: cats.物流?.id,
      applied: false,
    });
    const chosen = (
      await admin.post("/api/v1/tickets", {
        subject: "快递还没到",
        description: "物流不动",
        customer: { id: customer.id },
        categoryId: cats.退换货?.id,
      })
    ).json();
    expect(chosen.categoryId).toBe(cats.退换货?.id);
    expect((await admin.get(`/api/v1/tickets/${chosen.id}/category-suggestion`)).json().suggestion).toBeNull();
    await admin.patch("/api/v1/classification", { enabled: false, threshold: 0.8 });
    const off = (
      await admin.post("/api/v1/tickets", { subject: "快递还没到", description: "物流不动", customer: { id: customer.id } })
    ).json();
    expect((await admin.get(`/api/v1/tickets/${off.id}/category-suggestion`)).json().suggestion).toBeNull();
    expect((await admin.post("/api/v1/classification/suggest", { subject: "快递还没到" })).json()).toEqual({ suggestion: null });
    expect((await admin.patch("/api/v1/classification", { threshold: 2 })).statusCode).toBe(400);
    await admin.patch("/api/v1/classification", { enabled: true });
  });
});
