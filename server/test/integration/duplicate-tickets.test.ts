import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepRouting } from "../../src/modules/routing/routing-jobs";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let agentId: number;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  // Routing on: a default team with one online agent, so a ticket that is routed gets assigned.
  const dept = await t.factory.department();
  const agent = await t.factory.staff({ departmentIds: [dept.id] });
  agentId = agent.id;
  const team = (await admin.post("/api/v1/teams", { name: "一线", departmentId: dept.id, memberIds: [agent.id] })).json();
  expect((await admin.patch("/api/v1/routing/settings", { defaultTeamId: team.id })).statusCode).toBe(200);
  const client = await t.signIn(agent.email, PASSWORD);
  expect((await client.request("PUT", "/api/v1/routing/me/presence", { presence: "online" })).statusCode).toBe(200);
});
afterAll(() => t.close());

async function settle() {
  await t.ctx.jobs.drain();
  await sweepRouting(t.ctx, t.ctx.db);
  await t.ctx.jobs.drain();
}
const get = async (id: number) => (await admin.get(`/api/v1/tickets/${id}`)).json();
const events = async (id: number) =>
  (await admin.get(`/api/v1/tickets/${id}/events`)).json().items as { type: string; data: Record<string, unknown> }[];

describe("duplicate requests", () => {
  it("a repeat of the customer's open ticket is linked and flagged, and never routed on its own; any channel", async () => {
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    const first = (
      await portal.post("/api/v1/tickets", { subject: "耳机左边没有声音", description: "订单 DD2026，买了一周左耳就没声音了" })
    ).json();
    await settle();
    expect((await get(first.id)).assigneeId).toBe(agentId);

    const again = (
      await portal.post("/api/v1/tickets", { subject: "耳机左边还是没声音", description: "请尽快处理，左边耳机没有声音" })
    ).json();
    expect((await get(again.id)).duplicateOfId).toBe(first.id);
    await settle();
    expect((await get(again.id)).assigneeId).toBeNull();
    expect((await events(again.id)).find((e) => e.type === "duplicate_detected")?.data).toMatchObject({
      ticketId: first.id,
      number: first.number,
    });
    expect((await events(first.id)).find((e) => e.type === "duplicate_linked")?.data).toMatchObject({ ticketId: again.id });

    // Something else from the same customer, or the same words from someone else, is not a duplicate.
    const other = (await portal.post("/api/v1/tickets", { subject: "发票抬头写错了", description: "请重开发票" })).json();
    expect((await get(other.id)).duplicateOfId).toBeNull();
    const stranger = await t.factory.customer();
    const theirs = (
      await admin.post("/api/v1/tickets", { subject: "耳机左边没有声音", description: "订单 DD2026", customer: { id: stranger.id } })
    ).json();
    expect(theirs.duplicateOfId).toBeNull();
    // Through the phone channel too: the same customer calling about the same thing.
    const phoneCustomer = await t.factory.customer();
    const viaApi = (
      await admin.post("/api/v1/tickets", {
        subject: "扫地机不回充",
        description: "型号 X200 放回底座也不充电",
        customer: { id: phoneCustomer.id },
        channel: "phone",
      })
    ).json();
    const repeat = (
      await admin.post("/api/v1/tickets", {
        subject: "扫地机器人无法回充",
        description: "X200 回不到充电座",
        customer: { id: phoneCustomer.id },
        channel: "phone",
      })
    ).json();
    expect(repeat.duplicateOfId).toBe(viaApi.id);
  });

  it("merge with one action: the request and conversation move to the kept ticket, the duplicate closes and points at it", async () => {
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    const first = (await portal.post("/api/v1/tickets", { subject: "退款进度查询", description: "退款到哪一步了" })).json();
    await admin.post(`/api/v1/tickets/${first.id}/messages`, { body: "正在审核", visibility: "public", status: "pending" });
    const dup = (await portal.post("/api/v1/tickets", { subject: "退款进度", description: "退款什么时候到账？退款进度怎么样了" })).json();
    expect((await get(dup.id)).duplicateOfId).toBe(first.id);
    await portal.post(`/api/v1/tickets/${dup.id}/messages`, { body: "补充：是支付宝付款" });

    const merged = await admin.post(`/api/v1/tickets/${dup.id}/merge`, { ticketId: first.id });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({ id: first.id, status: "open" });
    // In time order, as the timeline shows them (the request keeps its original time).
    const bodies = (
      (await admin.get(`/api/v1/tickets/${first.id}/messages`)).json().items as {
        bodyText: string;
        authorType: string;
        createdAt: string;
      }[]
    )
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((m) => `${m.authorType}:${m.bodyText}`);
    expect(bodies).toEqual(["staff:正在审核", "customer:退款进度\n\n退款什么时候到账？退款进度怎么样了", "customer:补充：是支付宝付款"]);
    expect(await get(dup.id)).toMatchObject({ status: "closed", mergedIntoId: first.id });
    expect((await events(first.id)).some((e) => e.type === "merged_from")).toBe(true);
    // The customer sees where their request went.
    expect((await portal.get(`/api/v1/tickets/${dup.id}`)).json().mergedIntoId).toBe(first.id);

    // Refused: itself, again, different customers, unknown.
    expect((await admin.post(`/api/v1/tickets/${first.id}/merge`, { ticketId: first.id })).json().error.details[0].code).toBe(
      "same_ticket",
    );
    expect((await admin.post(`/api/v1/tickets/${dup.id}/merge`, { ticketId: first.id })).statusCode).toBe(409);
    const strangers = (
      await admin.post("/api/v1/tickets", { subject: "别人的", customer: { id: (await t.factory.customer()).id } })
    ).json();
    expect((await admin.post(`/api/v1/tickets/${strangers.id}/merge`, { ticketId: first.id })).json().error.details[0].code).toBe(
      "different_customer",
    );
    expect((await admin.post(`/api/v1/tickets/${strangers.id}/merge`, { ticketId: 999999 })).statusCode).toBe(404);
    expect((await portal.post(`/api/v1/tickets/${first.id}/merge`, { ticketId: dup.id })).statusCode).toBe(403);
  });

  it("不是重复: clearing the flag routes the ticket like any new one", async () => {
    const customer = await t.factory.customer();
    const first = (
      await admin.post("/api/v1/tickets", { subject: "打印机卡纸", description: "第二页卡纸", customer: { id: customer.id } })
    ).json();
    const second = (
      await admin.post("/api/v1/tickets", {
        subject: "另一台打印机卡纸",
        description: "三楼打印机第二页卡纸",
        customer: { id: customer.id },
      })
    ).json();
    expect(second.duplicateOfId).toBe(first.id);
    await settle();
    expect((await get(second.id)).assigneeId).toBeNull();
    const cleared = await admin.post(`/api/v1/tickets/${second.id}/not-duplicate`);
    expect(cleared.json().duplicateOfId).toBeNull();
    await settle();
    expect((await get(second.id)).assigneeId).toBe(agentId);
    expect((await events(second.id)).some((e) => e.type === "duplicate_cleared")).toBe(true);
  });

  it("an open ticket is compared as it reads now: after a new subject by the new one, and by its text when it has no kept features", async () => {
    const customer = await t.factory.customer();
    const create = (subject: string, description: string) =>
      admin.post("/api/v1/tickets", { subject, description, customer: { id: customer.id } }).then((r) => r.json());
    const first = await create("扫地机器人无法回充电", "请帮忙看看");
    // Renamed to what it is really about: a request about the new subject repeats it, one about the old does not.
    expect((await admin.patch(`/api/v1/tickets/${first.id}`, { subject: "发票抬头开错了需要重开" })).statusCode).toBe(200);
    expect((await create("扫地机器人不能回充电了", "怎么办")).duplicateOfId).toBeNull();
    expect((await create("发票抬头开错了", "需要重开发票")).duplicateOfId).toBe(first.id);

    // A ticket written before features were kept (or by a path that keeps none) is compared by its text.
    const older = await t.factory.customer();
    const kept = (
      await admin.post("/api/v1/tickets", { subject: "洗衣机漏水", description: "底部一直在漏水", customer: { id: older.id } })
    ).json();
    await t.ctx.db.updateTable("ticket_search").set({ features: null }).where("ticket_id", "=", kept.id).execute();
    const repeat = (
      await admin.post("/api/v1/tickets", { subject: "洗衣机底部漏水", description: "还是在漏水", customer: { id: older.id } })
    ).json();
    expect(repeat.duplicateOfId).toBe(kept.id);
  });
});
