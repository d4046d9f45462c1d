import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOOD_LIMIT } from "../../src/modules/intake/email/ingest-email";
import { type SmtpListener, startSmtpListener } from "../../src/modules/intake/email/smtp-listener";
import { eml, sendRaw } from "../support/eml";
import { type SmtpSink, parseMail, startSmtpSink } from "../support/smtp-sink";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let sink: SmtpSink;
let listener: SmtpListener;
const MAX_BYTES = 2 * 1024 * 1024;
const SUPPORT = "support@desk.example.com";

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url, MAIL_FROM: "Loopdesk <no-reply@desk.example.com>", LOOPDESK_MAX_UPLOAD_MB: "1" });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  const created = await admin.post("/api/v1/mailboxes", { name: "售后支持", address: "Support@Desk.Example.com" });
  expect(created.statusCode).toBe(201);
  listener = await startSmtpListener(t.ctx, { port: 0, host: "127.0.0.1", maxBytes: MAX_BYTES });
});
afterAll(async () => {
  await listener.close();
  await t.close();
  await sink.stop();
});

/** Delivers a raw message through the real listener with a real SMTP client; resolves with the server's reply. */
const send = (raw: Buffer, envelope = { from: "sender@mail.example.net", to: [SUPPORT] }) => sendRaw(listener.port, raw, envelope);

const inbound = async (q = "") => (await admin.get(`/api/v1/inbound-emails?limit=200${q}`)).json().items as Record<string, unknown>[];
const ticketsOf = async (email: string) => {
  const customers = (await admin.get(`/api/v1/customers?q=${encodeURIComponent(email)}`)).json().items as { id: number }[];
  if (customers.length === 0) return [];
  return (await admin.get(`/api/v1/tickets?customer=${customers[0]?.id}&sort=created_at`)).json().items as Record<string, unknown>[];
};
const messages = async (ticketId: unknown) =>
  (await admin.get(`/api/v1/tickets/${ticketId}/messages`)).json().items as Record<string, unknown>[];

describe("email intake over SMTP", () => {
  it("a GBK-encoded mail opens an email ticket for a new customer named from the From header", async () => {
    await send(
      eml({
        from: "=?gbk?B?" + Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]).toString("base64") + "?= <zhang@mail.example.net>",
        subject: "耳机左边没有声音",
        text: "订单号 DD20261122001，耳机左边没有声音，麻烦处理。",
        charset: "gbk",
        messageId: "first@mail.example.net",
      }),
      { from: "zhang@mail.example.net", to: [SUPPORT] },
    );
    const [ticket] = await ticketsOf("zhang@mail.example.net");
    expect(ticket).toMatchObject({ subject: "耳机左边没有声音", channel: "email", status: "new" });
    expect((await admin.get(`/api/v1/tickets/${ticket?.id}`)).json().description).toContain("订单号 DD20261122001");
    const customer = (await admin.get(`/api/v1/customers/${ticket?.customerId}`)).json();
    expect(customer.name).toBe("张三");
    expect((await inbound()).find((m) => m.messageId === "first@mail.example.net")).toMatchObject({
      outcome: "created",
      source: "smtp",
      ticketId: ticket?.id,
    });
  });

  it("an agent's reply goes out threaded from the mailbox; the customer's answer joins the ticket without the quoted history", async () => {
    await send(
      eml({
        from: "Li Si <lisi@mail.example.net>",
        subject: "发票开错了",
        text: "抬头应为 示例科技有限公司",
        messageId: "inv-1@mail.example.net",
      }),
    );
    const [ticket] = await ticketsOf("lisi@mail.example.net");
    // The reply carries a file: it goes out attached to the mail.
    const boundary = "----loopdesk-test";
    const upload = await admin.request(
      "POST",
      "/api/v1/attachments",
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="invoice-form.txt"\r\nContent-Type: text/plain\r\n\r\n`,
        ),
        Buffer.from("税号填写说明"),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      { "content-type": `multipart/form-data; boundary=${boundary}` },
    );
    expect(upload.statusCode).toBe(201);
    const reply = await admin.post(`/api/v1/tickets/${ticket?.id}/messages`, {
      body: "您好，请提供税号。",
      visibility: "public",
      attachmentIds: [upload.json().id],
    });
    expect(reply.statusCode).toBe(201);
    // Sent by a job with retries: under load a first SMTP attempt may fail and retry shortly.
    await expect
      .poll(
        async () => {
          await t.ctx.jobs.drain();
          return sink.received.some((m) => m.to.includes("lisi@mail.example.net"));
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    const out = [...sink.received].reverse().find((m) => m.to.includes("lisi@mail.example.net"));
    const parsed = await parseMail(out?.raw ?? "");
    expect(parsed.subject).toBe(`Re: 发票开错了 [#${ticket?.number}]`);
    expect(parsed.text).toContain("您好，请提供税号。");
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString("utf8")])).toEqual([["invoice-form.txt", "税号填写说明"]]);
    expect(out?.raw).toMatch(/^In-Reply-To: <inv-1@mail\.example\.net>/m);
    expect(out?.raw).toMatch(/^From: =\?UTF-8\?.*<support@desk\.example\.com>|^From: ".*" <support@desk\.example\.com>/m);
    const outId = /^Message-ID: <([^>]+)>/im.exec(out?.raw ?? "")?.[1] as string;
    expect(outId).toMatch(/@desk\.example\.com$/);

    await send(
      eml({
        from: "Li Si <lisi@mail.example.net>",
        subject: "Re: 发票开错了",
        text: "税号 91310000MA1K000000\n\n在 2026年11月22日 14:00，售后支持 <support@desk.example.com> 写道：\n> 您好，请提供税号。\n",
        inReplyTo: outId,
        references: ["inv-1@mail.example.net", outId],
      }),
    );
    const after = await ticketsOf("lisi@mail.example.net");
    expect(after).toHaveLength(1);
    const thread = await messages(ticket?.id);
    const last = thread[thread.length - 1];
    expect(last).toMatchObject({ authorType: "customer", channel: "email", visibility: "public" });
    expect(last?.bodyText).toBe("税号 91310000MA1K000000");
  });

  it("a process step that asks the customer goes out by mail; their reply with 名称：内容 lines finishes it and the process goes on", async () => {
    const created = await admin.post("/api/v1/processes", {
      key: "mail_return",
      name: "邮件退货",
      graph: {
        nodes: [
          { id: "s", type: "start" },
          {
            id: "ship",
            type: "task",
            name: "寄回商品",
            stage: "寄回",
            owner: { type: "customer" },
            form: [
              { key: "tracking_no", label: "快递单号", type: "text", required: true },
              { key: "courier", label: "快递公司", type: "text" },
            ],
          },
          { id: "e", type: "end" },
        ],
        edges: [
          { id: "e1", source: "s", target: "ship" },
          { id: "e2", source: "ship", target: "e" },
        ],
      },
    });
    expect(created.statusCode).toBe(201);
    expect((await admin.post(`/api/v1/processes/${created.json().id}/publish`, {})).statusCode).toBe(200);
    await send(eml({ from: "zhaoliu@mail.example.net", subject: "申请退货", text: "鞋子尺码不合适", messageId: "ret-1@mail.example.net" }));
    const [ticket] = await ticketsOf("zhaoliu@mail.example.net");
    expect((await admin.post(`/api/v1/tickets/${ticket?.id}/processes`, { processKey: "mail_return" })).statusCode).toBe(201);
    const asked = async () => {
      await t.ctx.jobs.drain();
      return [...sink.received].reverse().find((m) => m.to.includes("zhaoliu@mail.example.net"));
    };
    await expect.poll(async () => (await asked()) !== undefined, { timeout: 20_000, interval: 500 }).toBe(true);
    const out = await asked();
    expect((await parseMail(out?.raw ?? "")).text).toContain("快递单号");
    const outId = /^Message-ID: <([^>]+)>/im.exec(out?.raw ?? "")?.[1] as string;
    const instance = async () => (await admin.get(`/api/v1/tickets/${ticket?.id}/processes`)).json().items[0];

    // A reply that leaves the required field out stays a message; the step still waits.
    await send(eml({ from: "zhaoliu@mail.example.net", subject: "Re: 申请退货", text: "快递公司：顺丰\n明天寄", inReplyTo: outId }));
    await t.ctx.jobs.drain();
    expect((await instance()).status).toBe("running");

    await send(
      eml({
        from: "zhaoliu@mail.example.net",
        subject: "Re: 申请退货",
        text: "快递单号：SF1234567890\n快递公司：顺丰\n\n在 2026年12月4日，售后支持 写道：\n> 快递单号：",
        inReplyTo: outId,
      }),
    );
    await expect
      .poll(
        async () => {
          await t.ctx.jobs.drain();
          return (await instance()).status;
        },
        { timeout: 20_000, interval: 300 },
      )
      .toBe("completed");
    const done = await instance();
    expect(done.values.ship).toMatchObject({ tracking_no: "SF1234567890", courier: "顺丰" });
    const events = (await admin.get(`/api/v1/tickets/${ticket?.id}/events`)).json().items as { type: string; actorType: string }[];
    expect(events.find((e) => e.type === "process_step_completed")).toMatchObject({ actorType: "customer" });
  });

  it("a reply carrying only the ticket number in the subject joins it — unless it comes from a stranger", async () => {
    await send(eml({ from: "wangwu@mail.example.net", subject: "退款进度", text: "请问退款到哪一步了" }));
    const [ticket] = await ticketsOf("wangwu@mail.example.net");
    await send(eml({ from: "wangwu@mail.example.net", subject: `回复：退款进度 [#${ticket?.number}]`, text: "补充：是支付宝付款" }));
    expect(await ticketsOf("wangwu@mail.example.net")).toHaveLength(1);
    expect((await messages(ticket?.id)).map((m) => m.bodyText)).toContain("补充：是支付宝付款");

    await send(eml({ from: "mallory@evil.example.org", subject: `Re: [#${ticket?.number}]`, text: "把他的地址告诉我" }));
    expect((await messages(ticket?.id)).map((m) => m.bodyText)).not.toContain("把他的地址告诉我");
    expect(await ticketsOf("mallory@evil.example.org")).toHaveLength(1);
  });

  it("a forwarded mail opens a ticket that keeps the forwarded conversation", async () => {
    await send(
      eml({
        from: "forwarder@mail.example.net",
        subject: "Fwd: 物流延误",
        text: "帮忙看下这个\n\n---------- Forwarded message ----------\nFrom: 快递 <notice@express.example>\nDate: 2026-11-20\nSubject: 物流延误\n\n您的包裹因天气原因延误 2 天。",
      }),
    );
    const [ticket] = await ticketsOf("forwarder@mail.example.net");
    const full = (await admin.get(`/api/v1/tickets/${ticket?.id}`)).json();
    expect(full.subject).toBe("Fwd: 物流延误");
    expect(full.description).toContain("您的包裹因天气原因延误 2 天。");
  });

  it("the same Message-ID delivered twice opens one ticket; the second delivery is logged as a duplicate", async () => {
    const raw = eml({ from: "twice@mail.example.net", subject: "重复投递", text: "同一封邮件", messageId: "same-id@mail.example.net" });
    await send(raw);
    await send(raw);
    await Promise.all([send(raw), send(raw)]);
    expect(await ticketsOf("twice@mail.example.net")).toHaveLength(1);
    const logged = (await inbound()).filter((m) => m.messageId === "same-id@mail.example.net").map((m) => m.outcome);
    expect(logged.sort()).toEqual(["created", "duplicate", "duplicate", "duplicate"]);
  });

  it("auto-replies, bounces, bulk mail and our own mail never open tickets nor get replies; admins see why", async () => {
    const before = sink.received.length;
    const cases: [string, Buffer][] = [
      [
        "auto_reply",
        eml({
          from: "ooo@mail.example.net",
          subject: "自动回复：发票开错了",
          text: "我正在休假",
          headers: { "Auto-Submitted": "auto-replied" },
        }),
      ],
      ["auto_reply", eml({ from: "ooo2@mail.example.net", subject: "Out of Office", text: "away", headers: { "X-Autoreply": "yes" } })],
      ["bounce", eml({ from: "MAILER-DAEMON@mail.example.net", subject: "Undelivered Mail Returned to Sender", text: "550 no such user" })],
      ["bulk", eml({ from: "news@shop.example.net", subject: "双十一大促", text: "全场五折", headers: { Precedence: "bulk" } })],
      ["bulk", eml({ from: "list@lists.example.net", subject: "周报", text: "…", headers: { "List-Id": "<team.lists.example.net>" } })],
      ["own_address", eml({ from: "support@desk.example.com", subject: "Re: 测试", text: "我们自己发的" })],
      ["own_address", eml({ from: "no-reply@desk.example.com", subject: "您的工单已解决", text: "系统邮件" })],
    ];
    for (const [, raw] of cases) await send(raw);
    const log = await inbound("&outcome=ignored");
    for (const [reason] of cases) expect(log.some((m) => m.reason === reason)).toBe(true);
    expect(log.slice(0, cases.length).map((m) => m.reason)).toEqual(cases.map(([r]) => r).reverse());
    for (const from of ["ooo@mail.example.net", "mailer-daemon@mail.example.net", "news@shop.example.net"])
      expect(await ticketsOf(from)).toHaveLength(0);
    await t.ctx.jobs.drain();
    expect(sink.received.length).toBe(before);
    // The raw message is kept for admins, as an inert download; agents cannot read the log.
    const raw = await admin.get(`/api/v1/inbound-emails/${log[0]?.id}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers["content-type"]).toBe("application/octet-stream");
    expect(raw.body).toContain("Subject:");
    const agent = await t.signIn((await t.factory.staff({ role: "agent" })).email, PASSWORD);
    expect((await agent.get("/api/v1/inbound-emails")).statusCode).toBe(403);
    expect((await agent.get("/api/v1/mailboxes")).statusCode).toBe(403);
  });

  it(`a flood from one sender is quarantined after ${FLOOD_LIMIT} messages in ten minutes`, async () => {
    for (let i = 0; i <= FLOOD_LIMIT; i++) await send(eml({ from: "robot@mail.example.net", subject: `告警 ${i}`, text: `磁盘满了 ${i}` }));
    expect(await ticketsOf("robot@mail.example.net")).toHaveLength(FLOOD_LIMIT);
    expect((await inbound("&outcome=quarantined")).find((m) => m.fromAddress === "robot@mail.example.net")).toMatchObject({
      reason: "flood",
    });
  });

  it("attachments and inline images are kept; an attachment over the upload limit is dropped and logged, the rest of the mail kept", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const big = Buffer.alloc(1024 * 1024 + 10, 7);
    await send(
      eml({
        from: "files@mail.example.net",
        subject: "故障照片",
        text: "见附件",
        html: '<p>见图<img src="cid:photo1"></p><script>alert(1)</script>',
        attachments: [
          { filename: "照片.png", contentType: "image/png", content: png, cid: "photo1" },
          { filename: "日志.txt", contentType: "text/plain", content: Buffer.from("error 42") },
        ],
      }),
    );
    const [ticket] = await ticketsOf("files@mail.example.net");
    const full = (await admin.get(`/api/v1/tickets/${ticket?.id}`)).json();
    const files = (await admin.get(`/api/v1/tickets/${ticket?.id}/attachments`)).json().items as { filename: string; url: string }[];
    expect(files.map((a) => a.filename).sort()).toEqual(["日志.txt", "照片.png"]);
    const log = (await admin.get(files.find((a) => a.filename === "日志.txt")?.url ?? "")).body;
    expect(log).toBe("error 42");
    expect(full.description).not.toContain("alert(1)");

    // Too big for an attachment (1 MB here), small enough for the message (2 MB): the rest survives.
    await send(
      eml({
        from: "bigfile@mail.example.net",
        subject: "大文件",
        text: "正文还在",
        attachments: [
          { filename: "big.bin", contentType: "application/octet-stream", content: big },
          { filename: "small.txt", contentType: "text/plain", content: Buffer.from("small") },
        ],
      }),
    );
    const [withBig] = await ticketsOf("bigfile@mail.example.net");
    expect((await admin.get(`/api/v1/tickets/${withBig?.id}`)).json().description).toBe("正文还在");
    const kept = (await admin.get(`/api/v1/tickets/${withBig?.id}/attachments`)).json().items as { filename: string }[];
    expect(kept.map((a) => a.filename)).toEqual(["small.txt"]);
    expect((await inbound()).find((m) => m.ticketId === withBig?.id)?.reason).toBe("attachment_too_large:big.bin");
  });

  it("an HTML mail keeps its formatting, sanitized: inline images show from their attachments, remote images and scripts are gone", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    await send(
      eml({
        from: "html@mail.example.net",
        subject: "订单明细有误",
        contentType: "multipart/related",
        html:
          '<style>p{color:red}</style><p onclick="steal()">订单 <b>DD1</b>：</p><table><tr><td>数量</td><td>2</td></tr></table>' +
          '<img src="cid:shot1@mail" alt="截图"><img src="https://tracker.example.net/open.gif"><script>alert(1)</script>',
        attachments: [{ filename: "shot.png", contentType: "image/png", content: png, cid: "shot1@mail" }],
        messageId: "html-1@mail.example.net",
      }),
    );
    const [ticket] = await ticketsOf("html@mail.example.net");
    const full = (await admin.get(`/api/v1/tickets/${ticket?.id}`)).json();
    const [shot] = (await admin.get(`/api/v1/tickets/${ticket?.id}/attachments`)).json().items as { url: string }[];
    expect(full.descriptionHtml).toBe(
      `<p>订单 <b>DD1</b>：</p><table><tr><td>数量</td><td>2</td></tr></table><img src="${shot?.url}" alt="截图" />`,
    );
    expect(full.description).toContain("订单 DD1");
    expect((await admin.get(shot?.url ?? "")).statusCode).toBe(200);

    // An HTML reply is stored without the history it quotes, like its text.
    await send(
      eml({
        from: "html@mail.example.net",
        subject: "Re: 订单明细有误",
        contentType: "multipart/alternative",
        text: "应为 3 件\n\nOn Sun, Nov 22, 2026 at 10:00 AM Support wrote:\n> 请确认数量\n",
        html: '<div dir="ltr">应为 <b>3</b> 件</div><br><div class="gmail_quote"><div>On Sun wrote:</div><blockquote>请确认数量</blockquote></div>',
        inReplyTo: "html-1@mail.example.net",
      }),
    );
    const thread = await messages(ticket?.id);
    expect(thread[thread.length - 1]).toMatchObject({ bodyText: "应为 3 件", bodyHtml: "<div>应为 <b>3</b> 件</div><br />" });
  });

  it("mail over the size limit is refused during the transfer (552) and logged; the next mail on the wire is taken", async () => {
    const huge = eml({
      from: "huge@mail.example.net",
      subject: "25MB 附件",
      text: "附件太大",
      attachments: [{ filename: "video.mp4", contentType: "video/mp4", content: Buffer.alloc(MAX_BYTES, 1) }],
    });
    await expect(send(huge)).rejects.toMatchObject({ responseCode: 552 });
    expect((await inbound("&outcome=quarantined")).find((m) => m.reason === "too_large")).toBeDefined();
    await send(eml({ from: "huge@mail.example.net", subject: "小一点", text: "换成链接了" }));
    expect(await ticketsOf("huge@mail.example.net")).toHaveLength(1);
  });

  it("mail to an address that is no mailbox here is refused (550)", async () => {
    await expect(
      send(eml({ from: "x@mail.example.net", subject: "hi", text: "hi" }), { from: "x@mail.example.net", to: ["nobody@desk.example.com"] }),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
  });

  it("malformed MIME is kept in quarantine or read leniently — never a crash, never a lost neighbour", async () => {
    const broken = Buffer.from(
      'From: broken@mail.example.net\r\nTo: support@desk.example.com\r\nSubject: =?gbk?B?####?=\r\nContent-Type: multipart/mixed; boundary="x"\r\nContent-Transfer-Encoding: base64\r\n\r\n--x\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n\u0000\u0001\u00ff%%%\r\n--x',
      "latin1",
    );
    await send(broken);
    await send(eml({ from: "after-broken@mail.example.net", subject: "正常邮件", text: "我在后面" }));
    expect(await ticketsOf("after-broken@mail.example.net")).toHaveLength(1);
    const row = (await inbound()).find((m) => m.fromAddress === "broken@mail.example.net");
    expect(["created", "quarantined"]).toContain(row?.outcome);
  });
});

describe("mailbox administration", () => {
  it("keeps the IMAP password write-only and refuses bad input with the field named", async () => {
    const created = await admin.post("/api/v1/mailboxes", {
      name: "IMAP 信箱",
      address: "imap@desk.example.com",
      imap: { host: "127.0.0.1", port: 1143, secure: false, user: "imap@desk.example.com", password: "s3cret-imap" },
    });
    expect(created.statusCode).toBe(201);
    expect(JSON.stringify(created.json())).not.toContain("s3cret-imap");
    expect(created.json().imap).toMatchObject({ passwordSet: true, folder: "INBOX" });
    // Saving without a password keeps it.
    const kept = await admin.patch(`/api/v1/mailboxes/${created.json().id}`, {
      name: "IMAP 信箱",
      address: "imap@desk.example.com",
      imap: { host: "127.0.0.1", port: 1143, secure: false, user: "imap@desk.example.com" },
    });
    expect(kept.json().imap.passwordSet).toBe(true);
    expect(JSON.stringify((await admin.get("/api/v1/mailboxes")).json())).not.toContain("s3cret-imap");

    const bad = await admin.post("/api/v1/mailboxes", { name: "x", address: "not-an-address" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("address");
    const dup = await admin.post("/api/v1/mailboxes", { name: "again", address: "support@desk.example.com" });
    expect(dup.statusCode).toBe(409);
    const dept = await admin.post("/api/v1/mailboxes", { name: "x", address: "x@desk.example.com", departmentId: 999999 });
    expect(dept.json().error.details[0]).toMatchObject({ path: "departmentId", code: "unknown_reference" });
    expect((await admin.delete(`/api/v1/mailboxes/${created.json().id}`)).statusCode).toBe(204);
  });
});
