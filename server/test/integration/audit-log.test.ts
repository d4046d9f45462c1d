import { createHmac } from "node:crypto";
import dgram from "node:dgram";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * 审计日志: sign-ins, configuration changes with before and after, tokens and exports are recorded
 * with actor, address, time and target; secrets never appear; the table refuses changes in the
 * database itself; admins search, export and stream it (a signed HTTP batch, RFC 5424 syslog).
 */
let t: TestApp;
let admin: Client;
let adminId: number;
type Entry = {
  id: number;
  at: string;
  actor: { type: string; id: number | null; name: string | null };
  ip: string | null;
  action: string;
  outcome: string;
  target: { type: string | null; id: string | null; name: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
};

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  adminId = (await admin.get("/api/v1/me")).json().user.id;
});
afterAll(() => t.close());

async function entries(query: string): Promise<Entry[]> {
  const res = await admin.get(`/api/v1/audit-log?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe("audit log", () => {
  it("records sign-ins that succeed and fail, with the address and the account tried", async () => {
    const agent = await t.factory.staff({ name: "客服小周" });
    await t.signIn(agent.email, PASSWORD);
    const wrong = await t.anonymous.post("/api/v1/auth/login", { email: agent.email, password: "not-the-one", as: "staff" });
    expect(wrong.statusCode).toBe(401);
    const logins = await entries(`action=auth.login&q=${encodeURIComponent(agent.email)}`);
    expect(logins.map((e) => e.outcome)).toEqual(["failed", "ok"]);
    const [failed, ok] = logins as [Entry, Entry];
    expect(ok.actor).toEqual({ type: "staff", id: agent.id, name: "客服小周" });
    expect(ok.ip).toBe("127.0.0.1");
    expect(ok.detail).toMatchObject({ method: "password" });
    expect(failed.actor.type).toBe("anonymous");
    expect(failed.target.name).toBe(agent.email.toLowerCase());
    expect(failed.detail).toEqual({ reason: "unauthorized" });
    // The password tried is nowhere in the log.
    const all = await t.ctx.db.selectFrom("audit_log").select(sql<string>`audit_log::text`.as("row")).execute();
    expect(all.map((r) => r.row).join("\n")).not.toContain("not-the-one");
  });

  it("an auditor sees who changed an SLA policy, with the policy before and after", async () => {
    const created = await admin.post("/api/v1/sla-policies", { name: "VIP 响应", firstResponseMinutes: 60, businessHours: false });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await admin.patch(`/api/v1/sla-policies/${id}`, { firstResponseMinutes: 30 })).statusCode).toBe(200);
    const [update, create] = await entries(`targetType=sla_policies&targetId=${id}`);
    expect(create?.action).toBe("sla-policies.create");
    expect(create?.before).toBeNull();
    expect(create?.after).toMatchObject({ name: "VIP 响应", first_response_minutes: 60 });
    expect(update?.action).toBe("sla-policies.update");
    expect(update?.actor).toMatchObject({ type: "staff", id: adminId });
    expect(update?.target).toEqual({ type: "sla_policies", id: String(id), name: "VIP 响应" });
    expect(update?.before).toMatchObject({ first_response_minutes: 60 });
    expect(update?.after).toMatchObject({ first_response_minutes: 30 });
    // Searching by the policy's name finds both; an action prefix finds them among others.
    expect((await entries("q=VIP")).map((e) => e.action)).toEqual(["sla-policies.update", "sla-policies.create"]);
    expect((await entries("action=sla-policies")).length).toBe(2);
  });

  it("a person's role change is recorded without their password hash", async () => {
    const person = await t.factory.staff({ name: "晋升者" });
    expect((await admin.patch(`/api/v1/staff/${person.id}`, { role: "supervisor" })).statusCode).toBe(200);
    const [change] = await entries(`action=staff.update&targetId=${person.id}`);
    expect(change?.before).toMatchObject({ role: "agent", password_hash: "[redacted]" });
    expect(change?.after).toMatchObject({ role: "supervisor", password_hash: "[redacted]" });
  });

  it("secrets are redacted, and a changed secret is said to have changed", async () => {
    const hook = await admin.post("/api/v1/webhooks", {
      name: "ERP",
      url: "http://127.0.0.1:9/x",
      secret: "webhook-secret-42",
      events: ["ticket.created"],
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const id = hook.json().id;
    await admin.patch(`/api/v1/webhooks/${id}`, { secret: "webhook-secret-43" });
    await admin.patch(`/api/v1/webhooks/${id}`, { name: "ERP 对接" });
    const [rename, rekey, create] = await entries(`targetType=webhooks&targetId=${id}`);
    expect(create?.after).toMatchObject({ secret: "[redacted]" });
    expect(rekey?.after).toMatchObject({ secret: "[redacted] (changed)" });
    expect(rename?.after).toMatchObject({ secret: "[redacted]", name: "ERP 对接" });
    const token = await admin.post("/api/v1/tokens", { name: "CRM" });
    const secret = token.json().token as string;
    const [issued] = await entries("action=tokens.create");
    expect(issued?.after).toMatchObject({ name: "CRM", token_hash: "[redacted]" });
    const dump = (await t.ctx.db.selectFrom("audit_log").select(sql<string>`audit_log::text`.as("row")).execute())
      .map((r) => r.row)
      .join("\n");
    for (const s of ["webhook-secret-42", "webhook-secret-43", secret, secret.slice(4)]) expect(dump).not.toContain(s);
  });

  it("exports are recorded with what was exported", async () => {
    expect((await admin.get("/api/v1/tickets/export?format=csv&status=open")).statusCode).toBe(200);
    const [exported] = await entries("action=tickets.export");
    expect(exported?.detail).toMatchObject({ query: { format: "csv", status: ["open"] } });
  });

  it("is append-only in the database: no update, no truncation, no deletion before the retention period", async () => {
    const db = t.ctx.db;
    await expect(db.updateTable("audit_log").set({ action: "nothing" }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_log").execute()).rejects.toThrow(/retention/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    const count = async () => Number((await db.selectFrom("audit_log").select(db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    // An entry older than the retention period may go (the daily job deletes those).
    await db
      .insertInto("audit_log")
      .values({ actor_type: "system", action: "old.entry", at: new Date(Date.now() - 400 * 86_400_000) })
      .execute();
    await sql`delete from audit_log where action = 'old.entry'`.execute(db);
    expect(await count()).toBe(before);
  });

  it("only administrators read it", async () => {
    const lead = await t.signIn((await t.factory.staff({ role: "supervisor" })).email, PASSWORD);
    expect((await lead.get("/api/v1/audit-log")).statusCode).toBe(403);
    expect((await lead.get("/api/v1/audit-log/export")).statusCode).toBe(403);
    expect((await lead.patch("/api/v1/audit/settings", { retentionDays: 30 })).statusCode).toBe(403);
  });

  it("exports as CSV, and the export is itself recorded", async () => {
    const res = await admin.get("/api/v1/audit-log/export?action=sla-policies&format=csv");
    expect(res.statusCode).toBe(200);
    const lines = res.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^id,at,actor_type/);
    expect(lines).toHaveLength(3);
    expect(res.body).toContain("sla-policies.update");
    expect((await entries("action=audit-log.export")).length).toBe(1);
  });

  it("pages through entries with a cursor", async () => {
    const first = await admin.get("/api/v1/audit-log?limit=2");
    const next = first.json().nextCursor as string;
    expect(next).toBeTruthy();
    const second = await admin.get(`/api/v1/audit-log?limit=2&cursor=${next}`);
    const ids = [...first.json().items, ...second.json().items].map((e: Entry) => e.id);
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect((await admin.get("/api/v1/audit-log?cursor=%%%")).statusCode).toBe(400);
  });

  it("streams new entries to an HTTP endpoint (signed) and to syslog (RFC 5424 over UDP)", async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const sink = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
    const syslog = dgram.createSocket("udp4");
    const datagrams: string[] = [];
    syslog.on("message", (m) => datagrams.push(m.toString("utf8")));
    await new Promise<void>((r) => syslog.bind(0, "127.0.0.1", r));
    try {
      const res = await admin.patch("/api/v1/audit/settings", {
        streamUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/siem`,
        streamSecret: "siem-secret-1",
        syslogTarget: `udp://127.0.0.1:${syslog.address().port}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ hasStreamSecret: true, retentionDays: 365 });
      expect(res.body).not.toContain("siem-secret-1");
      await admin.post("/api/v1/departments", { name: "法务部" });
      await expect
        .poll(async () => {
          await t.ctx.jobs.drain();
          return received.length > 0 && datagrams.length >= 2;
        })
        .toBe(true);
      const batch = received[0] as { headers: http.IncomingHttpHeaders; body: string };
      const stamp = batch.headers["x-loopdesk-timestamp"] as string;
      expect(batch.headers["x-loopdesk-signature"]).toBe(
        `sha256=${createHmac("sha256", "siem-secret-1").update(`${stamp}.${batch.body}`).digest("hex")}`,
      );
      const actions = (JSON.parse(batch.body).entries as Entry[]).map((e) => e.action);
      // From the change of destination on, not the history before it.
      expect(actions).toEqual(["audit.settings.update", "departments.create"]);
      expect(datagrams[1]).toMatch(/^<109>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ loopdesk \d+ departments\.create \[loopdesk@32473 id="\d+"\] \{/);
      expect(JSON.parse((datagrams[1] as string).slice((datagrams[1] as string).indexOf("{"))).after).toMatchObject({ name: "法务部" });
      // Delivered entries are not sent again.
      const until = (await admin.get("/api/v1/audit/settings")).json().streamedUntil;
      expect(until).toBe((await entries("action=departments.create"))[0]?.id);
    } finally {
      await admin.patch("/api/v1/audit/settings", { streamUrl: null, syslogTarget: null });
      sink.close();
      syslog.close();
    }
  });

  it("every write only managers may make is recorded (the API description names its action)", async () => {
    const doc = (await t.anonymous.get("/api/v1/openapi.json")).json() as {
      paths: Record<string, Record<string, { tags: string[]; "x-audit-action"?: string }>>;
    };
    const actions = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, action: op["x-audit-action"] })),
    );
    const action = (route: string) => actions.find((a) => a.route === route)?.action;
    expect(action("PATCH /api/v1/sla-policies/{id}")).toBe("sla-policies.update");
    expect(action("POST /api/v1/departments")).toBe("departments.create");
    expect(action("DELETE /api/v1/webhooks/{id}")).toBe("webhooks.delete");
    expect(action("PATCH /api/v1/mailboxes/{id}")).toBe("mailboxes.update");
    expect(action("PATCH /api/v1/processes/{id}")).toBe("processes.update");
    expect(action("POST /api/v1/processes/{id}/publish")).toBe("processes.publish");
    expect(action("PATCH /api/v1/routing/rules/{id}")).toBe("routing.rules.update");
    expect(action("PATCH /api/v1/staff/{id}")).toBe("staff.update");
    expect(action("POST /api/v1/tokens")).toBe("tokens.create");
    expect(action("GET /api/v1/tickets/export")).toBe("tickets.export");
    // Reads and agents' everyday work are not the audit log's business.
    expect(action("GET /api/v1/sla-policies")).toBeUndefined();
    expect(action("POST /api/v1/tickets")).toBeUndefined();
    expect(action("POST /api/v1/rules/preview")).toBeUndefined();
  });

  it("the retention period is an admin setting, itself recorded", async () => {
    expect((await admin.patch("/api/v1/audit/settings", { retentionDays: 10 })).statusCode).toBe(400);
    expect((await admin.patch("/api/v1/audit/settings", { retentionDays: 180 })).json().retentionDays).toBe(180);
    const [change] = await entries("action=audit.settings.update");
    expect(change?.before).toMatchObject({ retention_days: 365 });
    expect(change?.after).toMatchObject({ retention_days: 180 });
  });
});
