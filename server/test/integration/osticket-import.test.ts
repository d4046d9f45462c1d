import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MariaDb, startMariaDb } from "../support/mariadb";
import { osTicketDatabase } from "../support/osticket-fixture";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";
import { PNG } from "../support/zendesk-fixture";

/**
 * Importing osTicket from its MariaDB database (a real server, a user with SELECT only): statuses
 * with their state and a custom one to map, priorities, departments matched by name, agents by
 * email, users with their default email and phone, the thread (messages, responses, notes) and the
 * attachments osTicket keeps in its database; one in a storage plugin is reported, not fatal.
 */
let maria: MariaDb;
let t: TestApp;
let admin: Client;
let deptId: number;
let zhouId: number;
beforeAll(async () => {
  maria = await startMariaDb();
  maria.sql(`${osTicketDatabase("helpdesk")}
    create user 'loopdesk'@'127.0.0.1' identified by 'ro-secret';
    grant select on helpdesk.* to 'loopdesk'@'127.0.0.1';`);
  ({ t, admin } = await appWithAdmin({ LOOPDESK_TIME_ZONE: "Asia/Shanghai" }));
  deptId = (await t.factory.department("售后服务部")).id;
  zhouId = (await t.factory.staff({ name: "周婷", email: "zhouting@import.test", departmentIds: [deptId] })).id;
}, 60_000);
afterAll(async () => {
  await t?.close();
  maria?.stop();
});

const connection = () => ({ host: maria.host, port: maria.port, database: "helpdesk", user: "loopdesk", password: "ro-secret" });

async function imported(theirs: string) {
  const row = await t.ctx.db
    .selectFrom("import_records")
    .select("local_id")
    .where("source", "=", "osticket")
    .where("entity", "=", "tickets")
    .where("external_id", "=", theirs)
    .executeTakeFirstOrThrow();
  return {
    ticket: (await admin.get(`/api/v1/tickets/${row.local_id}`)).json(),
    messages: (await admin.get(`/api/v1/tickets/${row.local_id}/messages`)).json().items,
    opened: (await admin.get(`/api/v1/tickets/${row.local_id}/attachments`)).json().items,
  };
}

describe("osTicket database", () => {
  it("surveys the helpdesk, maps a custom status, and imports tickets with their threads and attachments", async () => {
    const res = await admin.post("/api/v1/imports/osticket", connection());
    expect(res.statusCode, res.body).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({ source: "osticket", format: "osticket-mysql", totalRows: 3, fileName: `helpdesk@${maria.host}` });
    expect(job.survey).toMatchObject({
      tickets: 3,
      people: 2,
      organizations: 1,
      statuses: ["Open", "Resolved", "Closed", "Archived", "等待配件"],
      groups: ["Support", "售后服务部"],
    });
    expect(JSON.stringify(job)).not.toContain("ro-secret");
    const values = (await admin.get(`/api/v1/imports/${job.id}/values`)).json();
    expect(values.status.find((v: { value: string }) => v.value === "等待配件")).toMatchObject({ known: false, mapped: null });
    expect(values.priority.find((v: { value: string }) => v.value === "emergency")).toMatchObject({ mapped: "urgent" });
    expect(values.department).toEqual([
      { value: "Support", rows: 0, mapped: null, known: false },
      { value: "售后服务部", rows: 0, mapped: deptId, known: true },
    ]);
    expect(values.assignee[0]).toMatchObject({ value: "zhouting@import.test", mapped: zhouId });
    await admin.request("PUT", `/api/v1/imports/${job.id}/mapping`, { columns: {}, valueMap: { status: { 等待配件: "on_hold" } } });
    await admin.post(`/api/v1/imports/${job.id}/start`);
    await t.ctx.jobs.drain();
    const done = (await admin.get(`/api/v1/imports/${job.id}`)).json();
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: "done", processedRows: 3, created: 3, failed: 0 });
    // The file in a storage plugin is named, as a warning; the ticket is imported without it.
    expect(done.problems).toEqual([
      expect.objectContaining({ row: 482914, column: "manual.pdf", code: "attachment_unavailable", warning: true }),
    ]);

    // Resolved in April 2025 (osTicket's times are in the workspace's zone, UTC+8): closed since.
    const router = await imported("1");
    expect(router.ticket).toMatchObject({
      subject: "路由器频繁掉线",
      status: "closed",
      priority: "high",
      channel: "email",
      assigneeId: zhouId,
      departmentId: deptId,
      createdAt: "2025-04-01T01:00:00.000Z",
      solvedAt: "2025-04-02T02:00:00.000Z",
      description: "路由器每天掉线好几次",
    });
    expect(
      router.messages.map((m: { visibility: string; authorName: string; bodyText: string }) => [m.visibility, m.authorName, m.bodyText]),
    ).toEqual([
      ["internal", "周婷", "可能是固件问题"],
      ["public", "周婷", "已远程升级固件，请观察。"],
      ["public", "黄磊", "好的，谢谢"],
    ]);
    // osTicket's HTML is sanitized on the way in.
    expect(router.messages[1].bodyHtml).toContain("<b>观察</b>");
    expect(router.messages[1].bodyHtml).not.toContain("script");
    // The attachment osTicket kept in two chunks comes back whole.
    expect(router.opened).toMatchObject([{ filename: "router.png", contentType: "image/png", size: PNG.length }]);
    expect((await admin.get(router.opened[0].url)).rawPayload.equals(PNG)).toBe(true);
    const customer = (await admin.get(`/api/v1/customers/${router.ticket.customerId}`)).json();
    expect(customer.name).toBe("黄磊");
    // The phone without osTicket's extension.
    expect(JSON.stringify(customer)).toContain("13700001234");
    expect((await admin.get(`/api/v1/organizations/${customer.organizationId}`)).json().name).toBe("华南电子有限公司");

    // A custom status mapped; an agent without an account keeps their name; the task thread is not a ticket's.
    const refund = await imported("2");
    expect(refund.ticket).toMatchObject({ status: "on_hold", assigneeId: null, departmentId: null, channel: "portal" });
    expect(refund.messages).toMatchObject([{ authorType: "staff", authorName: "Mike Old", bodyText: "Approved, waiting for the part." }]);
    expect((await imported("4")).ticket).toMatchObject({ status: "open", priority: "urgent", channel: "phone" });
    // The deleted ticket stays out.
    expect(
      await t.ctx.db
        .selectFrom("import_records")
        .select("external_id")
        .where("source", "=", "osticket")
        .where("entity", "=", "tickets")
        .execute(),
    ).toHaveLength(3);
    expect(await t.ctx.db.selectFrom("domain_events").select("id").execute()).toHaveLength(0);

    // Again: nothing twice.
    const again = (await admin.post("/api/v1/imports/osticket", connection())).json();
    await admin.post(`/api/v1/imports/${again.id}/start`);
    await t.ctx.jobs.drain();
    expect((await admin.get(`/api/v1/imports/${again.id}`)).json()).toMatchObject({ status: "done", created: 0, skipped: 3 });
  });

  it("refuses a wrong password, a missing database and a wrong prefix with the reason, keeping nothing", async () => {
    const before = (await admin.get("/api/v1/imports")).json().items.length;
    const reason = async (body: Record<string, unknown>) => {
      const res = await admin.post("/api/v1/imports/osticket", { ...connection(), ...body });
      expect(res.statusCode).toBe(400);
      return res.json().error.details.reason;
    };
    expect(await reason({ password: "wrong" })).toBe("source_unauthorized");
    expect(await reason({ database: "nothere" })).toBe("source_no_database");
    expect(await reason({ prefix: "osticket_" })).toBe("source_not_osticket");
    expect(await reason({ port: 1 })).toBe("source_unreachable");
    expect((await admin.post("/api/v1/imports/osticket", { ...connection(), prefix: "ost_; drop" })).statusCode).toBe(400);
    expect((await admin.get("/api/v1/imports")).json().items.length).toBe(before);
    const agent = await t.signIn((await t.factory.staff({ role: "agent" })).email, PASSWORD);
    expect((await agent.post("/api/v1/imports/osticket", connection())).statusCode).toBe(403);
  });
});
