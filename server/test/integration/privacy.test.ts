import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRetention } from "../../src/modules/privacy/retention";
import { multipart } from "../support/multipart";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/** Personal-information requests: an access archive, an erasure proven by searching everything, retention rules. */
let t: TestApp;
let admin: Client;
let agent: Client;
beforeAll(async () => {
  ({ t, admin } = await appWithAdmin({ LOG_LEVEL: "error" }));
  agent = await t.signIn((await t.factory.staff({ role: "agent" })).email, PASSWORD);
});
afterAll(() => t.close());

const U = randomBytes(4).toString("hex").toUpperCase();
/** Strings only this customer's data holds: none may be found anywhere after the erasure. */
const SEEDED = {
  name: `欧阳${U}`,
  email: `erase-${U.toLowerCase()}@example.cn`,
  phone: `1391${String(Number.parseInt(U.slice(0, 6), 16) % 10_000_000).padStart(7, "0")}`,
  subject: `订单 SUBJ-${U} 未送达`,
  address: `北京市朝阳区 ADDR-${U} 号楼`,
  reply: `补充说明 REPLY-${U} 请尽快处理`,
  file: `FILECONTENT-${U}-发票内容`,
  filename: `发票-${U}.txt`,
  rating: `配送员态度 RATE-${U} 很好`,
};

async function upload(client: Client, filename: string, content: Buffer) {
  const { body, headers } = multipart(filename, content, "text/plain");
  return (await client.request("POST", "/api/v1/attachments", body, headers)).json();
}

/** Every row of every table as text: what a byte-by-byte search of the database sees. */
async function databaseText() {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.ctx.db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ r: string }>`select t::text as r from ${sql.table(table_name)} t`.execute(t.ctx.db);
    parts.push(...rows.rows.map((r) => `${table_name}: ${r.r}`));
  }
  return parts.join("\n");
}

function filesContaining(needle: string) {
  const root = path.join(t.ctx.config.dataDir, "files");
  if (!fs.existsSync(root)) return [];
  const bytes = Buffer.from(needle, "utf8");
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && fs.readFileSync(path.join(e.parentPath, e.name)).includes(bytes))
    .map((e) => e.name);
}

describe("personal-information requests", () => {
  let customerId: number;
  let ticketIds: number[];
  let keptTicketId: number;

  beforeAll(async () => {
    const person = await t.factory.customer({ name: SEEDED.name, email: SEEDED.email });
    customerId = person.id;
    const portal = await t.signIn(SEEDED.email, PASSWORD, "customer");
    await admin.post("/api/v1/webhooks", { name: "ERP", url: "http://127.0.0.1:9/hook", events: ["ticket.created", "message.created"] });
    const ticket = (await portal.post("/api/v1/tickets", { subject: SEEDED.subject, description: `收货地址：\n${SEEDED.address}` })).json();
    const file = await upload(portal, SEEDED.filename, Buffer.from(SEEDED.file));
    expect((await portal.post(`/api/v1/tickets/${ticket.id}/messages`, { body: SEEDED.reply, attachmentIds: [file.id] })).statusCode).toBe(
      201,
    );
    await admin.patch(`/api/v1/tickets/${ticket.id}`, { assigneeId: null });
    expect(
      (
        await admin.post(`/api/v1/tickets/${ticket.id}/messages`, {
          body: `${SEEDED.name}您好，已安排补发`,
          visibility: "public",
          status: "solved",
        })
      ).statusCode,
    ).toBe(201);
    expect((await portal.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 4, comment: SEEDED.rating })).statusCode).toBe(201);
    // The same person calls from a phone: a second customer, merged into the first.
    const call = (
      await admin.post("/api/v1/calls", { callId: `call-${U}`, customerNumber: SEEDED.phone, startedAt: new Date().toISOString() })
    ).json();
    expect((await admin.post(`/api/v1/customers/${customerId}/merge`, { customerId: call.customerId })).statusCode).toBe(200);
    ticketIds = [ticket.id, call.ticketId];
    // Someone else, whose data must stay as it is.
    const other = await t.factory.customer({ name: "留存客户" });
    keptTicketId = (await admin.post("/api/v1/tickets", { subject: `KEEP-${U} 保留`, customer: { email: other.email } })).json().id;
    await t.ctx.jobs.drain();
  });

  it("an access request is due 15 working days after it arrived and is answered with a zip of everything held", async () => {
    const created = await admin.post("/api/v1/privacy-requests", { kind: "access", customerId, channel: "email", note: "客户来信索取" });
    expect(created.statusCode).toBe(201);
    const req = created.json();
    expect(req).toMatchObject({ kind: "access", status: "open", customer: { id: customerId, name: SEEDED.name, erased: false } });
    expect(req.workingDaysLeft).toBeGreaterThanOrEqual(14);
    expect(req.workingDaysLeft).toBeLessThanOrEqual(15);
    expect((await admin.get(`/api/v1/privacy-requests/${req.id}/archive`)).statusCode).toBe(404);

    const answered = (await admin.post(`/api/v1/privacy-requests/${req.id}/export`)).json();
    expect(answered).toMatchObject({ status: "done", workingDaysLeft: null });
    expect(answered.archive.size).toBeGreaterThan(0);
    const dl = await admin.get(`/api/v1/privacy-requests/${req.id}/archive`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers["content-type"]).toBe("application/zip");
    expect(dl.headers["content-disposition"]).toMatch(/^attachment;/);
    const zip = unzipSync(new Uint8Array(dl.rawPayload));
    const read = (name: string) => JSON.parse(new TextDecoder().decode(zip[name]));
    const customer = read("customer.json");
    expect(customer.map((c: { name: string }) => c.name)).toContain(SEEDED.name);
    expect(JSON.stringify(customer)).toContain(SEEDED.email);
    expect(JSON.stringify(customer)).toContain(SEEDED.phone);
    const tickets = read("tickets.json");
    expect(tickets).toHaveLength(2);
    const first = tickets.find((x: { subject: string }) => x.subject === SEEDED.subject);
    expect(first.description).toContain(SEEDED.address);
    expect(first.messages.map((m: { text: string }) => m.text)).toContain(SEEDED.reply);
    expect(read("ratings.json")).toMatchObject([{ rating: 4, comment: SEEDED.rating }]);
    expect(read("calls.json")).toMatchObject([{ from: SEEDED.phone }]);
    const attachment = first.attachments[0];
    expect(attachment.name).toBe(SEEDED.filename);
    expect(new TextDecoder().decode(zip[attachment.file])).toBe(SEEDED.file);
    expect(Object.keys(zip)).toContain("README.txt");
    // The download is in the audit log.
    const audit = (await admin.get("/api/v1/audit-log?action=privacy-requests")).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["privacy-requests.create", "privacy-requests.export", "privacy-requests.download"]));
    // Answered once.
    expect((await admin.post(`/api/v1/privacy-requests/${req.id}/export`)).json().error.code).toBe("already_answered");
  });

  it("only administrators see or answer requests", async () => {
    expect((await agent.get("/api/v1/privacy-requests")).statusCode).toBe(403);
    expect((await agent.post("/api/v1/privacy-requests", { kind: "erasure", customerId })).statusCode).toBe(403);
    expect((await t.anonymous.get("/api/v1/privacy-requests")).statusCode).toBe(401);
    const bad = await admin.post("/api/v1/privacy-requests", { kind: "erasure", customerId: 999_999 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("customerId");
  });

  it("an erasure leaves no trace of the person in any table or file, keeps the statistics and the other customers' data", async () => {
    const before = await databaseText();
    expect(Object.entries(SEEDED).filter(([k, v]) => k !== "file" && !before.includes(v))).toEqual([]);
    expect(filesContaining(SEEDED.file).length).toBeGreaterThan(0);
    const facts = await t.ctx.db.selectFrom("analytics_ticket_facts").select("ticket_id").where("ticket_id", "in", ticketIds).execute();

    const req = (await admin.post("/api/v1/privacy-requests", { kind: "erasure", customerId, channel: "portal" })).json();
    const wrong = await admin.post(`/api/v1/privacy-requests/${req.id}/erase`, { confirmCustomerId: customerId + 1 });
    expect(wrong.statusCode).toBe(400);
    expect((await admin.get(`/api/v1/customers/${customerId}`)).json().name).toBe(SEEDED.name);

    const done = await admin.post(`/api/v1/privacy-requests/${req.id}/erase`, { confirmCustomerId: customerId });
    expect(done.statusCode, done.body).toBe(200);
    const report = done.json().report;
    expect(done.json()).toMatchObject({ status: "done", customer: { id: customerId, erased: true } });
    expect(report.found).toMatchObject({ tickets: 2, identities: 2, attachments: 1, calls: 1, ratings: 1 });
    expect(report.verification.remaining, JSON.stringify(report)).toEqual([]);
    expect(report.verification.searchedValues).toBeGreaterThan(5);
    expect(report.verification.columnsSearched).toBeGreaterThan(60);
    expect(report.filesRemoved).toBeGreaterThanOrEqual(2); // the attachment and the access archive
    expect(report.keptFacts).toBe(facts.length);

    // Searched byte by byte: the database's rows and the stored files.
    const after = await databaseText();
    for (const [kind, v] of Object.entries(SEEDED)) expect(after.includes(v), `${kind} still in the database`).toBe(false);
    expect(after).not.toContain(SEEDED.phone.slice(-8));
    for (const v of [SEEDED.file, SEEDED.name, SEEDED.email]) expect(filesContaining(v)).toEqual([]);
    // What stays: the tickets (counted in reports), their statistics, the ratings' scores; others' data untouched.
    expect(
      await t.ctx.db.selectFrom("analytics_ticket_facts").select("ticket_id").where("ticket_id", "in", ticketIds).execute(),
    ).toHaveLength(facts.length);
    const survey = await t.ctx.db
      .selectFrom("csat_surveys")
      .select(["rating", "comment"])
      .where("ticket_id", "=", ticketIds[0] as number)
      .executeTakeFirst();
    expect(survey).toEqual({ rating: 4, comment: null });
    expect((await admin.get(`/api/v1/tickets/${keptTicketId}`)).json().subject).toBe(`KEEP-${U} 保留`);
    const customer = (await admin.get(`/api/v1/customers/${customerId}`)).json();
    expect(customer.identities).toEqual([]);
    expect(customer.name).not.toContain(U);
    expect((await admin.get(`/api/v1/tickets?q=${encodeURIComponent(`SUBJ-${U}`)}`)).json().items).toEqual([]);
    // The person can no longer sign in; the archive made for them is gone; the request cannot run twice.
    expect((await t.anonymous.post("/api/v1/auth/login", { email: SEEDED.email, password: PASSWORD, as: "customer" })).statusCode).toBe(
      401,
    );
    const access = (await admin.get("/api/v1/privacy-requests")).json().items.find((r: { kind: string }) => r.kind === "access");
    expect(access.archive).toBeNull();
    expect((await admin.post(`/api/v1/privacy-requests/${req.id}/erase`, { confirmCustomerId: customerId })).statusCode).toBe(409);
    const audit = (await admin.get("/api/v1/audit-log?action=privacy-requests.erase")).json().items;
    expect(audit).toHaveLength(1);
  });

  it("a request can be declined with a reason; the open ones come first by deadline", async () => {
    const other = await t.factory.customer();
    const late = (
      await admin.post("/api/v1/privacy-requests", { kind: "access", customerId: other.id, receivedAt: "2026-01-05T09:00:00+08:00" })
    ).json();
    expect(late.workingDaysLeft).toBeLessThan(0);
    expect(late.dueAt).toBe(new Date("2026-01-26T23:59:59+08:00").toISOString());
    const declined = await admin.post(`/api/v1/privacy-requests/${late.id}/reject`, { reason: "无法核实身份" });
    expect(declined.json()).toMatchObject({ status: "rejected", reason: "无法核实身份" });
    const open = (await admin.post("/api/v1/privacy-requests", { kind: "erasure", customerId: other.id })).json();
    const list = (await admin.get("/api/v1/privacy-requests")).json().items;
    expect(list[0].id).toBe(open.id);
    expect((await admin.get("/api/v1/privacy-requests?status=rejected")).json().items.map((r: { id: number }) => r.id)).toEqual([late.id]);
  });
});

describe("retention rules", () => {
  it("purges the content of closed tickets older than the rule's months in its category, keeps their statistics, never touches open ones", async () => {
    const catA = await t.ctx.db
      .insertInto("categories")
      .values({ name: `合同-${U}` })
      .returning("id")
      .executeTakeFirstOrThrow();
    const catB = await t.ctx.db
      .insertInto("categories")
      .values({ name: `咨询-${U}` })
      .returning("id")
      .executeTakeFirstOrThrow();
    const customer = await t.factory.customer();
    const make = async (subject: string, categoryId: number) =>
      (
        await admin.post("/api/v1/tickets", {
          subject,
          description: `${subject} 的详细内容`,
          categoryId,
          customer: { email: customer.email },
        })
      ).json().id as number;
    const oldA = await make(`OLD-A-${U}`, catA.id);
    const oldB = await make(`OLD-B-${U}`, catB.id);
    const openA = await make(`OPEN-A-${U}`, catA.id);
    const file = await upload(admin, "合同.txt", Buffer.from(`RETAINED-FILE-${U}`));
    await admin.post(`/api/v1/tickets/${oldA}/messages`, { body: `MSG-A-${U}`, visibility: "public", attachmentIds: [file.id] });
    const longAgo = new Date(Date.now() - 400 * 86_400_000);
    await t.ctx.db.updateTable("tickets").set({ status: "closed", closed_at: longAgo }).where("id", "in", [oldA, oldB]).execute();
    await t.ctx.db.updateTable("tickets").set({ created_at: longAgo, updated_at: longAgo }).where("id", "=", openA).execute();

    const rule = await admin.post("/api/v1/retention-rules", { categoryId: catA.id, months: 12 });
    expect(rule.statusCode).toBe(201);
    expect(rule.json()).toMatchObject({ months: 12, active: true, due: 1, category: { id: catA.id } });
    const again = await admin.post("/api/v1/retention-rules", { categoryId: catA.id, months: 6 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("retention_rule_exists");
    expect((await agent.get("/api/v1/retention-rules")).statusCode).toBe(403);

    const { purged } = await applyRetention(t.ctx);
    expect(purged).toBe(1);
    const a = (await admin.get(`/api/v1/tickets/${oldA}`)).json();
    expect(a.subject).not.toContain(U);
    expect(JSON.stringify((await admin.get(`/api/v1/tickets/${oldA}/messages`)).json())).not.toContain(`MSG-A-${U}`);
    expect(filesContaining(`RETAINED-FILE-${U}`)).toEqual([]);
    expect((await admin.get(`/api/v1/tickets/${oldB}`)).json().subject).toBe(`OLD-B-${U}`);
    expect((await admin.get(`/api/v1/tickets/${openA}`)).json().subject).toBe(`OPEN-A-${U}`);
    const listed = (await admin.get("/api/v1/retention-rules")).json().items[0];
    expect(listed).toMatchObject({ due: 0, purgedTotal: 1 });
    expect(listed.lastRunAt).not.toBeNull();
    expect((await applyRetention(t.ctx)).purged).toBe(0);
  });
});
