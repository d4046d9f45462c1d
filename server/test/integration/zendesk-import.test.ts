import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshAnalyticsNow } from "../../src/modules/analytics/analytics-jobs";
import { type Client, type TestApp, appWithAdmin } from "../support/test-app";
import { PDF, PNG, ZENDESK_EMAIL, ZENDESK_TOKEN, startZendesk, zendeskExportFiles } from "../support/zendesk-fixture";

/**
 * Importing a Zendesk account: its full JSON export (NDJSON files uploaded together) and its API
 * (incremental exports, comments, attachments) served by a local fixture that checks every request.
 * Tickets come with their conversation (public comments as messages, private ones as internal
 * notes), requesters as customers, agents matched to staff by email, organizations, attachments;
 * nothing fires; a second import of the same account creates nothing.
 */
let zendesk: Awaited<ReturnType<typeof startZendesk>>;
beforeAll(async () => {
  zendesk = await startZendesk();
});
afterAll(() => zendesk.stop());

function multipart(files: Record<string, Buffer>, fields: Record<string, string> = {}) {
  const boundary = `----zd${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const [name, data] of Object.entries(files))
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/json\r\n\r\n`,
      ),
      data,
      Buffer.from("\r\n"),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

type Setup = { t: TestApp; admin: Client; deptId: number; zhou: { id: number } };
async function workspace(): Promise<Setup> {
  const { t, admin } = await appWithAdmin();
  const dept = await t.factory.department("售后服务部");
  const zhou = await t.factory.staff({ name: "周婷", email: "zhouting@import.test", departmentIds: [dept.id] });
  return { t, admin, deptId: dept.id, zhou };
}

async function ticketByNumber(s: Setup, theirs: string) {
  const row = await s.t.ctx.db
    .selectFrom("import_records")
    .select("local_id")
    .where("source", "=", "zendesk")
    .where("entity", "=", "tickets")
    .where("external_id", "=", theirs)
    .executeTakeFirstOrThrow();
  const ticket = (await s.admin.get(`/api/v1/tickets/${row.local_id}`)).json();
  const messages = (await s.admin.get(`/api/v1/tickets/${row.local_id}/messages`)).json().items;
  return { id: row.local_id, ticket, messages };
}

describe("Zendesk export files", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await workspace();
  });
  afterAll(() => s.t.close());

  it("surveys the files, maps agents and groups, and imports the conversation with its attachments", async () => {
    const files = zendeskExportFiles(zendesk.url);
    const up = multipart(files, { url: zendesk.url, email: ZENDESK_EMAIL, token: ZENDESK_TOKEN });
    const res = await s.admin.request("POST", "/api/v1/imports/zendesk-export", up.body, up.headers);
    expect(res.statusCode, res.body).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({ source: "zendesk", format: "zendesk-export", status: "uploaded", totalRows: 4 });
    expect(job.survey).toMatchObject({ tickets: 4, people: 5, organizations: 2 });
    expect(job.survey.agents.map((a: { value: string }) => a.value)).toEqual(["zhouting@import.test", "old.agent@acme.example"]);
    expect(job.connection).toEqual({ url: zendesk.url, email: ZENDESK_EMAIL });
    expect(JSON.stringify(job)).not.toContain(ZENDESK_TOKEN);

    const values = (await s.admin.get(`/api/v1/imports/${job.id}/values`)).json();
    expect(values.assignee).toEqual([
      { value: "zhouting@import.test", rows: 0, mapped: s.zhou.id, known: true },
      { value: "old.agent@acme.example", rows: 0, mapped: null, known: false },
    ]);
    expect(values.status.find((v: { value: string }) => v.value === "hold")).toMatchObject({ mapped: "on_hold", known: true });
    // Without Zendesk's groups file the groups are their ids: the admin maps them.
    expect(values.department.map((v: { value: string }) => v.value).sort()).toEqual(["501", "502"]);
    const mapped = await s.admin.request("PUT", `/api/v1/imports/${job.id}/mapping`, {
      columns: {},
      valueMap: { department: { "501": s.deptId, "502": null }, assignee: { "old.agent@acme.example": null } },
    });
    expect(mapped.statusCode, mapped.body).toBe(200);
    expect((await s.admin.post(`/api/v1/imports/${job.id}/start`)).json().status).toBe("queued");
    await s.t.ctx.jobs.drain();
    const done = (await s.admin.get(`/api/v1/imports/${job.id}`)).json();
    expect(done.problems).toEqual([]);
    expect(done).toMatchObject({ status: "done", processedRows: 4, created: 4, failed: 0, skipped: 0, problemCount: 0 });

    // Solved in March 2025, longer ago than the auto-close period: imported closed.
    const printer = await ticketByNumber(s, "1001");
    expect(printer.ticket).toMatchObject({
      subject: "打印机无法连接网络",
      status: "closed",
      priority: "high",
      channel: "email",
      assigneeId: s.zhou.id,
      departmentId: s.deptId,
      tags: ["printer", "网络"],
      createdAt: "2025-03-03T01:00:00.000Z",
    });
    expect(printer.ticket.description).toBe("办公室的打印机连不上 Wi-Fi");
    expect(
      printer.messages.map((m: { visibility: string; authorType: string; authorName: string; bodyText: string }) => [
        m.visibility,
        m.authorType,
        m.authorName,
        m.bodyText,
      ]),
    ).toEqual([
      ["internal", "staff", "周婷", "内部：可能是固件问题，先查型号"],
      ["public", "staff", "周婷", "请重启打印机并重新输入 Wi-Fi 密码。"],
      ["public", "customer", "陈晨", "可以了，谢谢！"],
    ]);
    // The HTML body is kept sanitized (Zendesk's markup), the attachment's bytes are the ones Zendesk served.
    expect(printer.messages[1].bodyHtml).toContain("<p>请重启打印机");
    const pdf = printer.messages[2].attachments[0];
    expect(pdf).toMatchObject({ filename: "发票.pdf", contentType: "application/pdf", size: PDF.length });
    expect((await s.admin.get(pdf.url)).rawPayload.equals(PDF)).toBe(true);
    const opened = (await s.admin.get(`/api/v1/tickets/${printer.id}/attachments`)).json().items;
    expect(opened).toMatchObject([{ filename: "printer-error.png", contentType: "image/png" }]);
    expect((await s.admin.get(opened[0].url)).rawPayload.equals(PNG)).toBe(true);
    expect(zendesk.requests.filter((r) => r.path.startsWith("/attachments/")).every((r) => r.authorized)).toBe(true);

    // An agent without an account here: their reply keeps their name; the ticket is unassigned.
    const invoice = await ticketByNumber(s, "1002");
    expect(invoice.ticket).toMatchObject({ status: "open", assigneeId: null, departmentId: null, channel: "portal" });
    expect(invoice.messages).toMatchObject([{ authorType: "staff", authorId: null, authorName: "Old Agent", bodyText: "We are on it." }]);
    // A caller known only by phone; Zendesk's "hold" and "voice".
    const call = await ticketByNumber(s, "1003");
    expect(call.ticket).toMatchObject({ status: "on_hold", priority: "urgent", channel: "phone" });
    const caller = (await s.admin.get(`/api/v1/customers/${call.ticket.customerId}`)).json();
    expect(caller.name).toBe("来电客户");
    expect(JSON.stringify(caller)).toContain("13900001111");
    expect((await ticketByNumber(s, "1005")).ticket).toMatchObject({ status: "pending", priority: "low", channel: "widget" });
    // The deleted ticket stays out.
    expect(await s.t.ctx.db.selectFrom("import_records").select("external_id").where("external_id", "=", "1004").execute()).toHaveLength(0);
    // Requesters belong to their organizations.
    const customer = (await s.admin.get(`/api/v1/customers/${printer.ticket.customerId}`)).json();
    expect(customer.name).toBe("陈晨");
    expect((await s.admin.get(`/api/v1/organizations/${customer.organizationId}`)).json()).toMatchObject({
      name: "华东贸易有限公司",
      domain: "huadong.example",
    });
    // The reports see the history: the first response two hours after the request, by 周婷.
    await refreshAnalyticsNow(s.t.ctx.db, s.t.ctx.config.timeZone);
    const facts = await s.t.ctx.db
      .selectFrom("analytics_ticket_facts")
      .select(["ticket_id", "frt_s", "responder_id", "public_replies"])
      .orderBy("ticket_id")
      .execute();
    expect(facts).toHaveLength(4);
    expect(facts.find((f) => f.ticket_id === printer.id)).toMatchObject({ frt_s: 2 * 3600, responder_id: s.zhou.id });
    // History only: nothing fired.
    expect(await s.t.ctx.db.selectFrom("domain_events").select("id").execute()).toHaveLength(0);
    expect(await s.t.ctx.db.selectFrom("notifications").select("id").execute()).toHaveLength(0);
    // The credential is not kept once the import is done.
    expect(
      (await s.t.ctx.db.selectFrom("import_jobs").select("secret_sealed").where("id", "=", job.id).executeTakeFirstOrThrow()).secret_sealed,
    ).toBeNull();

    // The same files again: nothing twice.
    const again = multipart(files);
    const second = (await s.admin.request("POST", "/api/v1/imports/zendesk-export", again.body, again.headers)).json();
    await s.admin.post(`/api/v1/imports/${second.id}/start`);
    await s.t.ctx.jobs.drain();
    expect((await s.admin.get(`/api/v1/imports/${second.id}`)).json()).toMatchObject({ status: "done", created: 0, skipped: 4 });
  });

  it("refuses files that are not Zendesk's JSON, naming the problem, and keeps nothing", async () => {
    const before = (await s.admin.get("/api/v1/imports")).json().items.length;
    const csv = multipart({ "tickets.csv": Buffer.from("id,subject\n1,x\n") });
    const res = await s.admin.request("POST", "/api/v1/imports/zendesk-export", csv.body, csv.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "import_rejected", details: { reason: "source_not_json" } } });
    const broken = multipart({ "tickets.json": Buffer.from('{"id": 1, "subject": "x", "requester_id": 2}\n{"id": 2, "subj') });
    const bad = await s.admin.request("POST", "/api/v1/imports/zendesk-export", broken.body, broken.headers);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.reason).toBe("source_bad_json");
    const empty = multipart({ "notes.json": Buffer.from('[{"title": "not zendesk"}]') });
    expect((await s.admin.request("POST", "/api/v1/imports/zendesk-export", empty.body, empty.headers)).json().error.details.reason).toBe(
      "source_empty",
    );
    expect((await s.admin.get("/api/v1/imports")).json().items.length).toBe(before);
  });
});

describe("Zendesk API", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await workspace();
  });
  afterAll(() => s.t.close());

  it("reads the incremental exports and each ticket's comments with the token, waiting out a 429", async () => {
    zendesk.requests.length = 0;
    const res = await s.admin.post("/api/v1/imports/zendesk-api", { url: zendesk.url, email: ZENDESK_EMAIL, token: ZENDESK_TOKEN });
    expect(res.statusCode, res.body).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({
      format: "zendesk-api",
      totalRows: 4,
      survey: { people: 5, organizations: 2, groups: ["售后服务部", "Billing"] },
    });
    const values = (await s.admin.get(`/api/v1/imports/${job.id}/values`)).json();
    // The group with a department's name is matched to it.
    expect(values.department).toEqual([
      { value: "售后服务部", rows: 0, mapped: s.deptId, known: true },
      { value: "Billing", rows: 0, mapped: null, known: false },
    ]);
    await s.admin.post(`/api/v1/imports/${job.id}/start`);
    await s.t.ctx.jobs.drain();
    const done = (await s.admin.get(`/api/v1/imports/${job.id}`)).json();
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: "done", created: 4, failed: 0 });

    const paths = zendesk.requests.map((r) => `${r.path}?${r.query}`);
    expect(zendesk.requests.every((r) => r.authorized)).toBe(true);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/api/v2/incremental/organizations.json?start_time=0",
        "/api/v2/incremental/organizations.json?start_time=1",
        "/api/v2/incremental/users/cursor.json?start_time=0",
        "/api/v2/incremental/users/cursor.json?cursor=2",
        "/api/v2/incremental/tickets/cursor.json?cursor=2",
        "/api/v2/tickets/1001/comments.json?",
        "/api/v2/tickets/1001/comments.json?cursor=2",
      ]),
    );
    // The first ticket page was refused once (429, Retry-After: 1) and asked again.
    expect(paths.filter((p) => p === "/api/v2/incremental/tickets/cursor.json?start_time=0")).toHaveLength(2);
    // A deleted ticket's comments are not fetched.
    expect(paths.some((p) => p.startsWith("/api/v2/tickets/1004/"))).toBe(false);
    const printer = await ticketByNumber(s, "1001");
    expect(printer.ticket).toMatchObject({ departmentId: s.deptId, assigneeId: s.zhou.id, status: "closed" });
    expect(printer.messages).toHaveLength(3);
    expect(printer.messages[2].attachments[0]).toMatchObject({ filename: "发票.pdf", size: PDF.length });
  });

  it("resumes from the last committed page when the source fails mid-way", async () => {
    // The account's tickets again in a workspace of their own (the ones above are recorded there).
    const w = await workspace();
    try {
      zendesk.requests.length = 0;
      zendesk.outage.ticketCursor = "2";
      const job = (
        await w.admin.post("/api/v1/imports/zendesk-api", { url: zendesk.url, email: ZENDESK_EMAIL, token: ZENDESK_TOKEN })
      ).json();
      await w.admin.post(`/api/v1/imports/${job.id}/start`);
      await w.t.ctx.jobs.drain();
      const stopped = (await w.admin.get(`/api/v1/imports/${job.id}`)).json();
      // The first page is in, the failure is shown, the job will try again.
      expect(stopped).toMatchObject({ status: "running", created: 2, processedRows: 2 });
      expect(stopped.error).toContain("400");
      zendesk.outage.ticketCursor = null;
      zendesk.requests.length = 0;
      await w.t.ctx.db
        .updateTable("jobs")
        .set({ run_at: new Date() })
        .where("queue", "=", "imports.run")
        .where("status", "=", "queued")
        .execute();
      await w.t.ctx.jobs.drain();
      expect((await w.admin.get(`/api/v1/imports/${job.id}`)).json()).toMatchObject({
        status: "done",
        created: 4,
        processedRows: 4,
        totalRows: 4,
      });
      // It went on from the committed cursor: the first page was not asked for again.
      const tickets = zendesk.requests.filter((r) => r.path === "/api/v2/incremental/tickets/cursor.json").map((r) => String(r.query));
      expect(tickets).toEqual(["cursor=2", "cursor=4"]);
      expect(await w.t.ctx.db.selectFrom("tickets").select("id").execute()).toHaveLength(4);
    } finally {
      zendesk.outage.ticketCursor = null;
      await w.t.close();
    }
  });

  it("refuses wrong credentials and addresses with the reason, creating nothing", async () => {
    const before = (await s.admin.get("/api/v1/imports")).json().items.length;
    const wrong = await s.admin.post("/api/v1/imports/zendesk-api", { url: zendesk.url, email: ZENDESK_EMAIL, token: "nope" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.reason).toBe("source_unauthorized");
    const ftp = await s.admin.post("/api/v1/imports/zendesk-api", { url: "ftp://acme.zendesk.com", email: ZENDESK_EMAIL, token: "x" });
    expect(ftp.json().error.details.reason).toBe("source_bad_url");
    const plain = await s.admin.post("/api/v1/imports/zendesk-api", { url: "http://acme.zendesk.com", email: ZENDESK_EMAIL, token: "x" });
    expect(plain.json().error.details.reason).toBe("source_bad_url");
    expect((await s.admin.get("/api/v1/imports")).json().items.length).toBe(before);
    // Only administrators connect sources.
    const agent = await s.t.signIn((await s.t.factory.staff({ role: "agent" })).email, "correct-horse-9");
    expect(
      (await agent.post("/api/v1/imports/zendesk-api", { url: zendesk.url, email: ZENDESK_EMAIL, token: ZENDESK_TOKEN })).statusCode,
    ).toBe(403);
  });
});
