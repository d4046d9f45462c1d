import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpSink, mailText, startSmtpSink } from "../support/smtp-sink";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url, LOOPDESK_PUBLIC_URL: "https://desk.example.com" });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

async function portalTicket(subject = "耳机左边没声音") {
  const customer = await t.factory.customer();
  const portal = await t.signIn(customer.email, PASSWORD, "customer");
  const ticket = (await portal.post("/api/v1/tickets", { subject, description: "刚买一周" })).json();
  return { customer, portal, ticket };
}
/** The feedback link in the newest resolution mail to this address. */
function feedbackToken(email: string) {
  const mail = [...sink.received].reverse().find((m) => m.to.includes(email));
  const m = /\/feedback\/([A-Za-z0-9_-]+)/.exec(mailText(mail?.raw ?? ""));
  return m?.[1] as string;
}

describe("closing the loop", () => {
  it("a ticket cannot be solved before the customer's last message has a public answer (unless the department allows it)", async () => {
    const { portal, ticket } = await portalTicket();
    const early = await admin.patch(`/api/v1/tickets/${ticket.id}`, { status: "solved" });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe("reply_required");
    // A note does not answer the customer either.
    const note = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, {
      body: "内部：换货",
      visibility: "internal",
      status: "solved",
    });
    expect(note.statusCode).toBe(409);
    // A public reply does — also in the same request that solves.
    const reply = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, {
      body: "已为您安排换货",
      visibility: "public",
      status: "solved",
    });
    expect(reply.statusCode).toBe(201);
    expect((await admin.get(`/api/v1/tickets/${ticket.id}`)).json().status).toBe("solved");
    // The customer writes again: reopened, and again needs an answer before solving.
    await portal.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "还是没声音" });
    expect((await admin.patch(`/api/v1/tickets/${ticket.id}`, { status: "solved" })).json().error.code).toBe("reply_required");

    const relaxed = (await admin.post("/api/v1/departments", { name: "内部支持", solveRequiresReply: false })).json();
    expect(relaxed.solveRequiresReply).toBe(false);
    const other = await portalTicket("内部申请");
    await admin.patch(`/api/v1/tickets/${other.ticket.id}`, { departmentId: relaxed.id });
    expect((await admin.patch(`/api/v1/tickets/${other.ticket.id}`, { status: "solved" })).statusCode).toBe(200);
  });

  it("solving mails the resolution with a link to confirm and rate — once per ticket — or to reopen", async () => {
    const { customer, portal, ticket } = await portalTicket("发票抬头写错了");
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, {
      body: "已为您重开发票，请查收邮箱",
      visibility: "public",
      status: "solved",
    });
    await t.ctx.jobs.drain();
    const token = feedbackToken(customer.email);
    expect(token).toBeTruthy();
    const mail = mailText([...sink.received].reverse().find((m) => m.to.includes(customer.email))?.raw ?? "");
    expect(mail).toContain("已为您重开发票，请查收邮箱");
    expect(mail).toContain(`https://desk.example.com/feedback/${token}`);
    // The job that sent it no longer holds the link.
    const jobs = await t.ctx.db.selectFrom("jobs").select("payload").where("queue", "=", "mail.send").execute();
    expect(JSON.stringify(jobs)).not.toContain(token);

    const page = await t.anonymous.get(`/api/v1/public/feedback/${token}`);
    expect(page.json()).toEqual({
      ticketNumber: ticket.number,
      subject: "发票抬头写错了",
      status: "solved",
      resolution: "已为您重开发票，请查收邮箱",
      answer: null,
    });
    const rated = await t.anonymous.post(`/api/v1/public/feedback/${token}/rating`, { rating: 2, comment: "太慢了" });
    expect(rated.statusCode).toBe(201);
    expect(rated.json()).toMatchObject({ rating: 2, comment: "太慢了", answeredVia: "link" });
    const again = await t.anonymous.post(`/api/v1/public/feedback/${token}/rating`, { rating: 5 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("already_rated");
    expect((await portal.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 5 })).statusCode).toBe(409);
    // Staff see the answer on the ticket and in its history.
    expect((await admin.get(`/api/v1/tickets/${ticket.id}/csat`)).json()).toMatchObject({
      surveyed: true,
      answer: { rating: 2, comment: "太慢了" },
    });
    const history = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(history).toContainEqual(
      expect.objectContaining({ type: "csat_received", actorType: "customer", data: expect.objectContaining({ rating: 2 }) }),
    );
    expect(history).toContainEqual(expect.objectContaining({ type: "resolution_sent" }));

    // Another solved ticket: the customer is not happy and reopens from the link.
    const second = await portalTicket("快递丢件");
    await admin.post(`/api/v1/tickets/${second.ticket.id}/messages`, { body: "已补发", visibility: "public", status: "solved" });
    await t.ctx.jobs.drain();
    const token2 = feedbackToken(second.customer.email);
    const reopened = await t.anonymous.post(`/api/v1/public/feedback/${token2}/reopen`, { comment: "补发的也没收到" });
    expect(reopened.json()).toEqual({ status: "open", followUpTicketId: null });
    const messages = (await admin.get(`/api/v1/tickets/${second.ticket.id}/messages`)).json().items;
    expect(messages.at(-1)).toMatchObject({ authorType: "customer", bodyText: "补发的也没收到" });
    expect((await t.anonymous.post(`/api/v1/public/feedback/${token2}/rating`, { rating: 3 })).statusCode).toBe(409); // not solved now
    expect((await t.anonymous.get("/api/v1/public/feedback/not-a-real-token-at-all-xyz")).statusCode).toBe(404);
  });

  it("customers rate in the portal; a bad rating can start a follow-up through a trigger", async () => {
    const dep = await t.factory.department();
    const lead = await t.factory.staff({ role: "supervisor", departmentIds: [dep.id] });
    await admin.post("/api/v1/triggers", {
      name: "差评回访",
      events: ["csat_received"],
      conditions: { all: [{ field: "csat.rating", op: "lt", value: 3 }] },
      actions: [
        { type: "add_tags", tags: ["差评回访"] },
        { type: "notify_staff", to: ["supervisors"], message: "客户差评，请回访" },
      ],
    });
    const { portal, ticket } = await portalTicket("屏幕有坏点");
    await admin.patch(`/api/v1/tickets/${ticket.id}`, { departmentId: dep.id });
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "可以退货", visibility: "public", status: "solved" });
    const other = await t.signIn((await t.factory.customer()).email, PASSWORD, "customer");
    expect((await other.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 1 })).statusCode).toBe(404);
    expect((await admin.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 1 })).statusCode).toBe(403);
    const res = await portal.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 1, comment: "不满意" });
    expect(res.statusCode).toBe(201);
    expect((await portal.get(`/api/v1/tickets/${ticket.id}/csat`)).json().answer).toMatchObject({ rating: 1, answeredVia: "portal" });
    await t.ctx.jobs.drain();
    expect((await admin.get(`/api/v1/tickets/${ticket.id}`)).json().tags).toContain("差评回访");
    const bell = (await (await t.signIn(lead.email, PASSWORD)).get("/api/v1/notifications")).json().items;
    expect(bell).toContainEqual(expect.objectContaining({ type: "rule", data: expect.objectContaining({ message: "客户差评，请回访" }) }));
    expect((await portal.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 7 })).statusCode).toBe(400);
  });
});
