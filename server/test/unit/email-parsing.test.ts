import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { ticketNumberInSubject } from "../../src/modules/intake/email/email-threads";
import { loopReason } from "../../src/modules/intake/email/loop-guard";
import { parseEmail } from "../../src/modules/intake/email/parse-email";
import { trimQuotedHistory, trimQuotedHtml } from "../../src/modules/intake/email/quoted-history";
import { eml, encodedWord } from "../support/eml";

const own = new Set(["support@desk.example.com"]);

describe("parsing the charsets Chinese mail uses", () => {
  const text = "您好，订单 DD2026 的耳机左边没有声音，请尽快处理。谢谢！";
  for (const charset of ["utf-8", "gb2312", "gbk", "gb18030"])
    for (const encoding of ["base64", "quoted-printable"] as const)
      it(`${charset} body and subject, ${encoding}`, async () => {
        const m = await parseEmail(eml({ from: "a@example.net", subject: "耳机没声音", text, charset, encoding }));
        expect(m.subject).toBe("耳机没声音");
        expect(m.text.trim()).toBe(text);
      });

  it("Big5 (traditional Chinese) body and subject", async () => {
    const m = await parseEmail(eml({ from: "a@example.tw", subject: "退貨申請", text: "商品破損，請協助退貨。", charset: "big5" }));
    expect(m.subject).toBe("退貨申請");
    expect(m.text.trim()).toBe("商品破損，請協助退貨。");
  });

  // What mail libraries write for these charsets: each must decode as the charset it names.
  const aliased: [string, string, string][] = [
    ["big5_tw", "big5", "退貨申請：商品破損"],
    ["big5-tw", "big5", "請協助退貨"],
    ["x-big5", "big5", "發票抬頭"],
    ["cp950", "big5", "維修進度"],
    ["big5-hkscs", "big5hkscs", "唔該幫我睇下㗎"],
    ["x-gbk", "gbk", "发票抬头写错了"],
    ["cp936", "gbk", "朱镕基 张炜"],
    ["gb_2312-80", "gb2312", "退款进度查询"],
    ["euc-cn", "gb2312", "物流信息"],
    ["ms936", "gbk", "镕炜"],
    ["utf8", "utf-8", "设备无法开机"],
  ];
  for (const [label, real, words] of aliased)
    it(`a subject and body labelled ${label} (as ${real})`, async () => {
      const bytes = iconv.encode(words, real);
      const raw = Buffer.concat([
        Buffer.from(
          `From: a@example.tw\r\nTo: support@desk.example.com\r\nSubject: =?${label}?B?${bytes.toString("base64")}?=\r\n` +
            `Message-ID: <${label}@example.tw>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=${label}\r\n` +
            "Content-Transfer-Encoding: base64\r\n\r\n",
          "latin1",
        ),
        Buffer.from(`${bytes.toString("base64")}\r\n`, "latin1"),
      ]);
      const m = await parseEmail(raw);
      expect(m.subject).toBe(words);
      expect(m.text.trim()).toBe(words);
    });

  it("Big5 bytes declared as UTF-8 are read as Big5 (the reading with no broken characters wins)", async () => {
    const m = await parseEmail(
      eml({
        from: "a@example.tw",
        subject: "abc",
        text: "商品破損，請協助退貨。",
        charset: "big5",
        declaredCharset: "utf-8",
        encoding: "8bit",
      }),
    );
    expect(m.text.trim()).toBe("商品破損，請協助退貨。");
    expect(m.text).not.toContain("\uFFFD");
  });

  it("GB18030-only characters (beyond GBK) survive", async () => {
    const m = await parseEmail(eml({ from: "a@example.net", subject: "生僻字", text: "𠀀𪚥 用户名", charset: "gb18030" }));
    expect(m.text.trim()).toBe("𠀀𪚥 用户名");
  });

  it("GBK bytes declared as UTF-8 (an old client's lie) are read as GB18030", async () => {
    const m = await parseEmail(
      eml({ from: "a@example.net", subject: "abc", text: "发票抬头写错了", charset: "gbk", declaredCharset: "utf-8", encoding: "8bit" }),
    );
    expect(m.text.trim()).toBe("发票抬头写错了");
  });

  it("GBK text declared as GB2312 (GBK-only characters such as 镕 and 炜)", async () => {
    const m = await parseEmail(
      eml({ from: "a@example.net", subject: "朱镕基", text: "王炜 反馈：打印机卡纸", charset: "gbk", declaredCharset: "gb2312" }),
    );
    expect(m.text.trim()).toBe("王炜 反馈：打印机卡纸");
    expect(m.subject).toBe("朱镕基");
  });

  it("encoded-word display names, threading headers and inline parts", async () => {
    const m = await parseEmail(
      eml({
        from: `${encodedWord("张三", "gbk")} <Zhang.San@Example.NET>`,
        subject: "Re: 问题",
        text: "见图",
        inReplyTo: "abc@x",
        references: ["root@x", "abc@x"],
        attachments: [{ filename: "图.png", contentType: "image/png", content: Buffer.from([137, 80, 78, 71]), cid: "img1" }],
      }),
    );
    expect(m.from).toEqual({ address: "zhang.san@example.net", name: "张三" });
    expect(m.inReplyTo).toEqual(["abc@x"]);
    expect(m.references).toEqual(["root@x", "abc@x"]);
    expect(m.attachments[0]).toMatchObject({ filename: "图.png", contentId: "img1", inline: true });
  });

  it("raw UTF-8 headers (RFC 6532, as SMTPUTF8 clients send them)", async () => {
    const m = await parseEmail(eml({ from: "刘女士 <liu@example.net>", subject: "ascii", text: "x" }));
    expect(m.from).toEqual({ address: "liu@example.net", name: "刘女士" });
  });

  it("a message without Message-ID gets a stable id from its bytes (so redelivery is still recognised)", async () => {
    const raw = eml({ from: "a@example.net", subject: "x", text: "y", messageId: null });
    const [a, b] = [await parseEmail(raw), await parseEmail(raw)];
    expect(a.hasOwnMessageId).toBe(false);
    expect(a.messageId).toBe(b.messageId);
  });
});

describe("loop guard", () => {
  const mail = (o: Partial<Parameters<typeof eml>[0]>) => parseEmail(eml({ from: "c@example.net", subject: "问题", text: "x", ...o }));
  it.each([
    ["Auto-Submitted: auto-replied", { headers: { "Auto-Submitted": "auto-replied" } }, "auto_reply"],
    ["Auto-Submitted: auto-generated", { headers: { "Auto-Submitted": "auto-generated" } }, "auto_reply"],
    ["X-Autoreply", { headers: { "X-Autoreply": "yes" } }, "auto_reply"],
    ["自动回复 subject", { subject: "自动回复：您的邮件已收到" }, "auto_reply"],
    ["Out of office subject", { subject: "Out of Office: away until Monday" }, "auto_reply"],
    ["mailer daemon", { from: "MAILER-DAEMON@mx.example.net" }, "bounce"],
    ["delivery report", { contentType: "multipart/report; report-type=delivery-status" }, "bounce"],
    ["empty return path", { headers: { "Return-Path": "<>" } }, "bounce"],
    ["Precedence: bulk", { headers: { Precedence: "bulk" } }, "bulk"],
    ["Precedence: list", { headers: { Precedence: "list" } }, "bulk"],
    ["List-Unsubscribe", { headers: { "List-Unsubscribe": "<mailto:u@x>" } }, "bulk"],
    ["our own address", { from: "Support@Desk.Example.com" }, "own_address"],
  ] as const)("%s", async (_name, o, reason) => {
    expect(loopReason(await mail(o as Partial<Parameters<typeof eml>[0]>), own)).toBe(reason);
  });
  it("an ordinary customer mail, also with Auto-Submitted: no, passes", async () => {
    expect(loopReason(await mail({ headers: { "Auto-Submitted": "no" } }), own)).toBeNull();
    expect(loopReason(await mail({ subject: "回复：退款进度" }), own)).toBeNull();
  });
});

describe("quoted history", () => {
  it.each([
    ["Gmail English", "OK, thanks!\n\nOn Mon, Nov 23, 2026 at 10:00 AM Support <s@x> wrote:\n> old\n> older"],
    ["Chinese client", "OK, thanks!\n\n在 2026年11月23日 10:00，客服 <s@x> 写道：\n> 旧内容"],
    ["Outlook", "OK, thanks!\n\n-----Original Message-----\nFrom: s@x\nSent: Monday\n\nold"],
    ["Outlook zh", "OK, thanks!\n\n发件人: 客服 <s@x>\n发送时间: 2026年11月23日\n收件人: me\n\nold"],
    ["Foxmail", "OK, thanks!\n\n------------------ 原始邮件 ------------------\n发件人: s@x\nold"],
    ["bottom quote only", "OK, thanks!\n> old line\n> another"],
  ])("%s", (_name, text) => expect(trimQuotedHistory(text)).toBe("OK, thanks!"));
  it("keeps inline quotes followed by new text, and never empties a reply", () => {
    expect(trimQuotedHistory("> 你问的是这个？\n是的，就是这个")).toBe("> 你问的是这个？\n是的，就是这个");
    expect(trimQuotedHistory("On Mon wrote:\n> only quote")).toBe("On Mon wrote:\n> only quote");
    expect(trimQuotedHistory("From: 我的名字是小王\n内容")).toBe("From: 我的名字是小王\n内容");
  });
});

describe("quoted history in HTML", () => {
  it.each([
    ["Gmail", '<div dir="ltr">OK</div><div class="gmail_quote gmail_quote_container"><blockquote>old</blockquote></div>'],
    ["Apple Mail", '<div>OK</div><div><br><blockquote type="cite">old</blockquote></div>'],
    ["Thunderbird", '<p>OK</p><div class="moz-cite-prefix">On Mon wrote:</div><blockquote type="cite">old</blockquote>'],
    ["Outlook web", '<div>OK</div><hr><div id="divRplyFwdMsg"><b>From:</b> s@x</div>'],
    ["Outlook desktop", '<p>OK</p><div style="border-top:solid"><p><b>发件人:</b> 客服</p></div>'],
    ["QQ / Foxmail", "<div>OK</div><div>------------------&nbsp;原始邮件&nbsp;------------------</div><div>old</div>"],
    ["NetEase", "<div>OK</div><div>在 2026-11-23 10:00:00，客服 写道：</div><blockquote>old</blockquote>"],
  ])("%s", (_name, html) => expect(trimQuotedHtml(html, true)).toMatch(/^<(div|p)[^>]*>OK<\/(div|p)>/));
  it("keeps HTML without a quote, and drops it when only the text showed a quote", () => {
    expect(trimQuotedHtml("<p>OK</p>", false)).toBe("<p>OK</p>");
    expect(trimQuotedHtml("<p>OK</p><p>old</p>", true)).toBeNull();
  });
});

describe("ticket numbers in subjects", () => {
  it.each([
    ["Re: 发票 [#10023]", 10023],
    ["回复：您的工单 #10023 已解决", 10023],
    ["Re: Your ticket #10023 is solved", 10023],
    ["订单 12345 问题", null],
  ])("%s", (subject, n) => expect(ticketNumberInSubject(subject)).toBe(n));
});

describe("fuzzing the MIME path", () => {
  it("a part whose Content-Type value is empty (found by the fuzzer) still becomes an attachment", async () => {
    const raw = Buffer.from(
      'From: a@example.net\r\nTo: support@desk.example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n" +
        '--b\r\nContent-Type:;text/plain\r\nContent-Disposition: attachment; filename="a.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n',
    );
    const m = await parseEmail(raw);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]?.contentType).toBe("application/octet-stream");
    expect(m.attachments[0]?.content.toString()).toBe("hello");
  });
  const base = eml({
    from: "fuzz@example.net",
    subject: "模糊测试",
    text: "正文",
    html: "<p>正文</p>",
    attachments: [{ filename: "a.txt", contentType: "text/plain", content: Buffer.from("hello") }],
  });
  it("random bytes, truncations and mutations of a valid message never throw from parsing or the loop guard", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
          fc.nat({ max: base.length }).map((n) => base.subarray(0, n)),
          fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 40 }).map((edits) => {
            const b = Buffer.from(base);
            for (const [i, v] of edits) b[i] = v;
            return b;
          }),
          fc
            .string({ maxLength: 500 })
            .map((s) => Buffer.from(`Content-Type: multipart/mixed; boundary="b"\r\nSubject: ${s}\r\n\r\n--b\r\n${s}\r\n--b--`)),
        ),
        async (raw) => {
          const m = await parseEmail(raw);
          loopReason(m, own);
          expect(m.text.includes("\u0000")).toBe(false);
          expect(typeof m.messageId).toBe("string");
        },
      ),
      { numRuns: 300 },
    );
  });
});
