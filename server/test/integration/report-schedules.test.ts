import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { refreshAnalyticsNow } from "../../src/modules/analytics/analytics-jobs";
import { sendDueReports } from "../../src/modules/analytics/report-schedules";
import { type SmtpSink, parseMail, startSmtpSink } from "../support/smtp-sink";
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
const mailsTo = (email: string) => sink.received.filter((m) => m.to.includes(email));
const runDue = () => t.ctx.db.transaction().execute((trx) => sendDueReports(t.ctx, trx));

describe("scheduled reports", () => {
  it("mails the week's numbers on Monday 08:00 once, with the daily table attached, and moves to the next week", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-16T10:00:00+08:00"));
    const created = await admin.post("/api/v1/report-schedules", {
      name: "客服周报",
      frequency: "weekly",
      recipients: ["Boss@Example.com", "ops@example.com"],
      filters: { channel: "phone" },
    });
    expect(created.statusCode).toBe(201);
    const schedule = created.json();
    expect(schedule).toMatchObject({
      recipients: ["boss@example.com", "ops@example.com"],
      nextRunAt: "2026-11-23T00:00:00.000Z",
      lastSentAt: null,
    });
    const customer = await t.factory.customer();
    for (const channel of ["phone", "phone", "email"])
      await admin.post("/api/v1/tickets", { subject: `来电 ${channel}`, description: "x", channel, customer: { id: customer.id } });
    await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);

    vi.setSystemTime(new Date("2026-11-23T07:00:00+08:00"));
    expect(await runDue()).toBe(0);
    vi.setSystemTime(new Date("2026-11-23T08:00:00+08:00"));
    expect(await runDue()).toBe(1);
    expect(await runDue()).toBe(0);
    // The mail jobs were written at the (future) fake time: send them while it holds.
    await t.ctx.jobs.drain();
    vi.useRealTimers();

    const [mail] = mailsTo("boss@example.com");
    expect(mailsTo("ops@example.com")).toHaveLength(1);
    const parsed = await parseMail(mail?.raw ?? "");
    expect(parsed.subject).toBe("【报表】客服周报：2026-11-16 至 2026-11-22");
    // Only the phone slice: two tickets, not three.
    expect(parsed.text).toContain("新建工单：2");
    expect(parsed.text).toContain("https://desk.example.com/analytics");
    expect(parsed.html).toContain('<td style="border:1px solid #ddd;text-align:right">2</td>');
    const [csv] = parsed.attachments;
    expect(csv?.filename).toBe("report-2026-11-16-2026-11-22.csv");
    expect(csv?.content.toString("utf8")).toContain("2026-11-16,2,0,2");
    const listed = (await admin.get("/api/v1/report-schedules")).json().items[0];
    expect(listed).toMatchObject({ nextRunAt: "2026-11-30T00:00:00.000Z", lastSentAt: "2026-11-23T00:00:00.000Z" });
  });

  it("sends now on request, can be paused, and only supervisors and admins manage them", async () => {
    const s = (
      await admin.post("/api/v1/report-schedules", { name: "Monthly", frequency: "monthly", recipients: ["cfo@example.com"], locale: "en" })
    ).json();
    const now = await admin.post(`/api/v1/report-schedules/${s.id}/send`);
    expect(now.statusCode).toBe(200);
    await t.ctx.jobs.drain();
    const monthly = await parseMail(mailsTo("cfo@example.com")[0]?.raw ?? "");
    expect(monthly.subject).toBe(`[Report] Monthly: ${now.json().from} to ${now.json().to}`);
    expect(monthly.text).toContain("Tickets created: ");
    expect((await admin.patch(`/api/v1/report-schedules/${s.id}`, { active: false })).json().active).toBe(false);

    const bad = await admin.post("/api/v1/report-schedules", { name: "x", frequency: "daily", recipients: ["not-an-email"] });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["frequency", "recipients.0"]);
    const agent = await t.signIn((await t.factory.staff({ role: "agent" })).email, PASSWORD);
    expect((await agent.get("/api/v1/report-schedules")).statusCode).toBe(403);
    expect((await agent.post(`/api/v1/report-schedules/${s.id}/send`)).statusCode).toBe(403);
    expect((await admin.delete(`/api/v1/report-schedules/${s.id}`)).statusCode).toBe(204);
    expect((await admin.post(`/api/v1/report-schedules/${s.id}/send`)).statusCode).toBe(404);
  });
});

describe("scheduled reports without outgoing mail", () => {
  it("refuses to send now and, when one falls due, queues no mail and moves on without marking it sent", async () => {
    const noMail = await createTestApp({});
    try {
      const boss = await noMail.signIn((await noMail.factory.staff({ role: "admin" })).email, PASSWORD);
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-11-16T10:00:00+08:00"));
      const s = (
        await boss.post("/api/v1/report-schedules", { name: "周报", frequency: "weekly", recipients: ["boss@example.com"] })
      ).json();
      const now = await boss.post(`/api/v1/report-schedules/${s.id}/send`);
      expect(now.statusCode).toBe(409);
      expect(now.json().error.code).toBe("mail_not_configured");

      vi.setSystemTime(new Date("2026-11-23T08:00:00+08:00"));
      expect(await noMail.ctx.db.transaction().execute((trx) => sendDueReports(noMail.ctx, trx))).toBe(1);
      vi.useRealTimers();
      const mails = await noMail.ctx.db.selectFrom("jobs").select("id").where("queue", "=", "mail.send").execute();
      expect(mails).toHaveLength(0);
      const listed = (await boss.get("/api/v1/report-schedules")).json().items[0];
      expect(listed).toMatchObject({ nextRunAt: "2026-11-30T00:00:00.000Z", lastSentAt: null });
    } finally {
      vi.useRealTimers();
      await noMail.close();
    }
  });
});
