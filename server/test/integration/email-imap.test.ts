import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollMailbox } from "../../src/modules/intake/email/poll-imap";
import { type ImapServer, startDovecot } from "../support/dovecot";
import { eml } from "../support/eml";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let imap: ImapServer;
let mailboxId: number;
const USER = { user: "help@imap.example.com", password: "imap-pass-9" };

beforeAll(async () => {
  imap = await startDovecot([USER]);
  t = await createTestApp({ LOOPDESK_MAX_EMAIL_MB: "1" });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  const box = await admin.post("/api/v1/mailboxes", {
    name: "IMAP 客服信箱",
    address: USER.user,
    imap: { host: imap.host, port: imap.port, secure: false, user: USER.user, password: USER.password },
  });
  expect(box.statusCode).toBe(201);
  mailboxId = box.json().id;
});
afterAll(async () => {
  await t.close();
  imap.stop();
});

/** A signed-in IMAP session on the test mailbox, for the duration of `use`. */
async function withImap<T>(use: (client: ImapFlow) => Promise<T>) {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    auth: { user: USER.user, pass: USER.password },
    logger: false,
  });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}
/** Puts messages into the IMAP inbox the way a mail server's delivery would, over IMAP. */
async function deliver(...raws: Buffer[]) {
  await withImap(async (client) => {
    for (const raw of raws) await client.append("INBOX", raw);
  });
}
async function unseenCount() {
  const s = await withImap((client) => client.status("INBOX", { unseen: true }));
  return s ? s.unseen : undefined;
}
const ticketsOf = async (email: string) => {
  const customers = (await admin.get(`/api/v1/customers?q=${encodeURIComponent(email)}`)).json().items as { id: number }[];
  if (customers.length === 0) return [];
  return (await admin.get(`/api/v1/tickets?customer=${customers[0]?.id}&sort=created_at`)).json().items as Record<string, unknown>[];
};

describe("IMAP polling (dovecot)", () => {
  it("reads new messages once: a Big5 request, its reply threaded by References, an auto-reply ignored", async () => {
    await deliver(
      eml({
        from: "陳小姐 <chen@mail.example.tw>",
        to: USER.user,
        subject: "退貨申請",
        text: "商品破損，請協助退貨。",
        charset: "big5",
        encoding: "quoted-printable",
        messageId: "tw-1@mail.example.tw",
      }),
      eml({
        from: "chen@mail.example.tw",
        to: USER.user,
        subject: "Re: 退貨申請",
        text: "補充照片",
        inReplyTo: "tw-1@mail.example.tw",
        references: ["tw-1@mail.example.tw"],
      }),
      eml({
        from: "chen@mail.example.tw",
        to: USER.user,
        subject: "自動回覆：退貨申請",
        text: "休假中",
        headers: { "Auto-Submitted": "auto-replied" },
      }),
    );
    expect(await pollMailbox(t.ctx, mailboxId)).toEqual({ read: 3 });
    const tickets = await ticketsOf("chen@mail.example.tw");
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ subject: "退貨申請", channel: "email" });
    const messages = (await admin.get(`/api/v1/tickets/${tickets[0]?.id}/messages`)).json().items as { bodyText: string }[];
    expect(messages.map((m) => m.bodyText)).toEqual(["補充照片"]);
    const log = (await admin.get(`/api/v1/inbound-emails?mailboxId=${mailboxId}`)).json().items as { outcome: string; source: string }[];
    expect(log.map((m) => m.outcome).sort()).toEqual(["appended", "created", "ignored"]);
    expect(log.every((m) => m.source === "imap")).toBe(true);
    // Read messages are marked seen in the mailbox; the next poll finds nothing new.
    expect(await unseenCount()).toBe(0);
    expect(await pollMailbox(t.ctx, mailboxId)).toEqual({ read: 0 });
    const box = (await admin.get("/api/v1/mailboxes")).json().items.find((b: { id: number }) => b.id === mailboxId);
    expect(box.lastPolledAt).not.toBeNull();
    expect(box.lastError).toBeNull();
  });

  it("re-reading after a crash (the last UID lost) creates nothing twice", async () => {
    await t.ctx.db.updateTable("mailboxes").set({ imap_last_uid: 0 }).where("id", "=", mailboxId).execute();
    expect(await pollMailbox(t.ctx, mailboxId)).toEqual({ read: 3 });
    expect(await ticketsOf("chen@mail.example.tw")).toHaveLength(1);
    const messages = (await admin.get(`/api/v1/tickets/${(await ticketsOf("chen@mail.example.tw"))[0]?.id}/messages`)).json().items;
    expect(messages).toHaveLength(1);
  });

  it("a message over the size limit is logged without being downloaded; the ones after it are read", async () => {
    const huge = eml({
      from: "big@mail.example.net",
      to: USER.user,
      subject: "大附件",
      text: "附件",
      attachments: [{ filename: "a.bin", contentType: "application/octet-stream", content: Buffer.alloc(1024 * 1024, 3) }],
    });
    await deliver(huge, eml({ from: "next@mail.example.net", to: USER.user, subject: "后面的邮件", text: "我还在" }));
    expect(await pollMailbox(t.ctx, mailboxId)).toEqual({ read: 2 });
    expect(await ticketsOf("big@mail.example.net")).toHaveLength(0);
    expect(await ticketsOf("next@mail.example.net")).toHaveLength(1);
    const log = (await admin.get("/api/v1/inbound-emails?outcome=quarantined")).json().items as { reason: string; source: string }[];
    expect(log[0]).toMatchObject({ reason: "too_large", source: "imap" });
  });

  it('a wrong password shows on the mailbox as its last error; "poll now" runs the poll as a job', async () => {
    const bad = await admin.post("/api/v1/mailboxes", {
      name: "密码错误",
      address: "wrong@imap.example.com",
      imap: { host: imap.host, port: imap.port, secure: false, user: USER.user, password: "not-the-password" },
    });
    expect((await admin.post(`/api/v1/mailboxes/${bad.json().id}/poll`)).statusCode).toBe(202);
    await t.ctx.jobs.drain();
    const box = (await admin.get("/api/v1/mailboxes")).json().items.find((b: { id: number }) => b.id === bad.json().id);
    expect(box.lastError).toMatch(/auth|fail|invalid/i);
    expect(JSON.stringify(box)).not.toContain("not-the-password");
    // Stored sealed (the poll that read its messages above opened it).
    const stored = await t.ctx.db.selectFrom("mailboxes").select("imap_password").execute();
    expect(stored.every((r) => r.imap_password?.startsWith("v1:") && !r.imap_password.includes("pass"))).toBe(true);
    expect((await admin.post("/api/v1/mailboxes/999999/poll")).statusCode).toBe(404);
  });
});
