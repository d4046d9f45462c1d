import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eml, sendRaw } from "../server/test/support/eml";
import { freePort } from "../server/test/support/postgres-server";
import { type SmtpSink, parseMail, startSmtpSink } from "../server/test/support/smtp-sink";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, screenshot, signInAsStaff } from "./browser";

const ADMIN = { email: "admin@email-e2e.test", password: "e2e-password-5" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let sink: SmtpSink;
let smtpPort: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-email-"));
  sink = await startSmtpSink();
  smtpPort = await freePort();
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
    SMTP_URL: sink.url,
    MAIL_FROM: "Loopdesk <no-reply@email-e2e.test>",
    SMTP_INBOUND_PORT: String(smtpPort),
    SMTP_INBOUND_HOST: "127.0.0.1",
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const sendMail = (raw: Buffer, to: string) => sendRaw(smtpPort, raw, { from: "customer@mail.example.net", to: [to] });

describe("email intake in the browser", () => {
  it("an admin adds a mailbox; a customer's mail becomes a ticket; the agent's reply goes back by mail; the log shows both", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, "/admin/mailboxes");
    await page.getByRole("button", { name: "添加邮箱" }).click();
    const modal = page.locator(".ant-modal:visible");
    await modal.getByLabel("名称").fill("售后邮箱");
    await modal.getByLabel("邮箱地址").fill("help@email-e2e.test");
    await modal.getByRole("button", { name: /保\s*存/ }).click();
    await expect
      .poll(() => page.locator(".ant-table-tbody").first().textContent(), { timeout: ASYNC_TIMEOUT })
      .toContain("help@email-e2e.test");

    // Until the mailbox existed the listener refused the address; now the mail is taken.
    await sendMail(
      eml({
        from: "刘女士 <customer@mail.example.net>",
        to: "help@email-e2e.test",
        subject: "扫地机不回充",
        text: "型号 X200，放回底座也不充电。",
        charset: "gb18030",
      }),
      "help@email-e2e.test",
    );
    await expect
      .poll(async () => (await page.locator(".ant-card").nth(1).textContent()) ?? "", { timeout: 15_000, interval: 500 })
      .toContain("新建工单");
    await screenshot(page, "email-intake-log");

    await page.locator(".ant-card").nth(1).getByRole("link").first().click();
    await expect.poll(() => page.getByTestId("ticket-title").textContent()).toContain("扫地机不回充");
    expect(await page.locator("body").textContent()).toContain("型号 X200");
    await page.getByText("回复客户", { exact: true }).click();
    await page.getByLabel("内容").fill("您好，请清洁充电触点后再试。");
    await page.getByRole("button", { name: "发送回复" }).click();
    await page.getByTestId("public-reply").waitFor();
    await expect.poll(() => sink.received.filter((m) => m.to.includes("customer@mail.example.net")).length, { timeout: 15_000 }).toBe(1);
    const reply = await parseMail(sink.received.find((m) => m.to.includes("customer@mail.example.net"))?.raw ?? "");
    expect(reply.subject).toMatch(/^Re: 扫地机不回充 \[#\d+\]$/);
    expect(reply.text).toContain("请清洁充电触点");

    // The same customer then calls from her phone: a second customer, until an agent merges them.
    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    const call = await (
      await api("/api/v1/calls", {
        method: "POST",
        body: JSON.stringify({
          callId: "e2e-call-1",
          customerNumber: "13500135000",
          customerName: "刘女士",
          startedAt: new Date().toISOString(),
        }),
      })
    ).json();
    expect(call.outcome).toBe("created");
    await page.getByTestId("merge-customer").click();
    await page.getByLabel("按姓名、邮箱或手机号查找重复的客户").fill("13500135000");
    // Once in a CI run the pick did not take (the merge button stayed disabled for 30 s; the page
    // re-renders as the call's ticket arrives live): pick again until the button takes the choice.
    const option = page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "13500135000" }).first();
    const mergeButton = page.getByRole("button", { name: "合 并" }).or(page.getByRole("button", { name: "合并", exact: true }));
    await expect
      .poll(
        async () => {
          if (!(await mergeButton.isEnabled())) await option.click({ timeout: 5_000 }).catch(() => undefined);
          return mergeButton.isEnabled();
        },
        { timeout: ASYNC_TIMEOUT },
      )
      .toBe(true);
    await mergeButton.click();
    await expect.poll(() => page.getByTestId("customer-panel").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("13500135000");
    await expect.poll(() => page.getByTestId("customer-panel").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("来电 13500135000");
    await screenshot(page, "customer-merged");

    // She writes again about the same thing (a new mail, not a reply): flagged as a duplicate, merged in one click.
    const firstTicketUrl = page.url();
    await sendMail(
      eml({
        from: "刘女士 <customer@mail.example.net>",
        to: "help@email-e2e.test",
        subject: "扫地机还是不回充",
        text: "X200 放回底座还是不充电，怎么办",
      }),
      "help@email-e2e.test",
    );
    const list = await (await api("/api/v1/tickets?sort=-created_at&limit=1")).json();
    expect(list.items[0].duplicateOfId).not.toBeNull();
    await page.goto(`${server.url}/tickets/${list.items[0].id}`);
    await page.getByTestId("duplicate-banner").waitFor();
    await screenshot(page, "duplicate-banner");
    await page.getByRole("button", { name: "合并到原工单" }).click();
    await expect.poll(() => page.url(), { timeout: ASYNC_TIMEOUT }).toBe(firstTicketUrl);
    await expect.poll(() => page.getByTestId("timeline").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("X200 放回底座还是不充电");
    await page.close();
  });
});

describe("HTML mail in the browser", () => {
  it("shows the mail's formatting and its inline image in place; the mail's script never runs", async () => {
    const pixel = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
    await sendMail(
      eml({
        from: "孙女士 <sun@mail.example.net>",
        to: "help@email-e2e.test",
        subject: "退货单",
        contentType: "multipart/related",
        html:
          "<p>退货明细：</p><table><tr><th>商品</th><th>数量</th></tr><tr><td>滤网</td><td>2</td></tr></table>" +
          '<img src="cid:label@mail" alt="快递面单" width="40" height="40"><img src="x" onerror="window.__pwned=1"><script>window.__pwned=1</script>',
        attachments: [{ filename: "面单.png", contentType: "image/png", content: pixel, cid: "label@mail" }],
      }),
      "help@email-e2e.test",
    );
    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    const ticket = (await (await api("/api/v1/tickets?sort=-created_at&limit=1")).json()).items[0];
    expect(ticket.subject).toBe("退货单");
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, `/tickets/${ticket.id}`);
    const body = page.getByTestId("ticket-description").getByTestId("message-html");
    await body.locator("td", { hasText: "滤网" }).waitFor();
    const image = body.getByRole("img", { name: "快递面单" });
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: ASYNC_TIMEOUT })
      .toBe(1);
    expect(await body.locator("img").count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, "email-html");
    await page.close();
  });
});

describe("templates in the browser", () => {
  it("a mail missing a required field shows 信息不全 with what is missing; filling the field on the ticket clears it", async () => {
    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    const post = async (p: string, body: unknown) => (await api(p, { method: "POST", body: JSON.stringify(body) })).json();
    const category = await post("/api/v1/categories", { name: "售后维修" });
    await post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "order_no",
      label: "订单号",
      type: "text",
      required: true,
      pattern: "^DD\\d{13}$",
      helpText: "在订单详情页顶部",
      categoryIds: [category.id],
    });
    await post("/api/v1/mailboxes", { name: "售后维修", address: "repair@email-e2e.test", categoryId: category.id });
    await sendMail(
      eml({ from: "赵先生 <zhao@mail.example.net>", to: "repair@email-e2e.test", subject: "屏幕花屏", text: "开机后屏幕花屏" }),
      "repair@email-e2e.test",
    );
    const ticket = (await (await api("/api/v1/tickets?sort=-created_at&limit=1")).json()).items[0];
    expect(ticket.missingFields).toEqual(["order_no"]);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, `/tickets/${ticket.id}`);
    await page.getByTestId("incomplete-tag").waitFor();
    expect(await page.getByTestId("missing-info").textContent()).toContain("订单号");
    expect(await page.getByTestId("ticket-fields").textContent()).toContain("在订单详情页顶部");
    await screenshot(page, "ticket-incomplete");
    const fields = page.getByTestId("ticket-fields");
    await fields.getByLabel("订单号").fill("DD2026112200001");
    await fields.getByRole("button").click();
    await page.getByTestId("incomplete-tag").waitFor({ state: "detached", timeout: ASYNC_TIMEOUT });
    await page.close();
  });
});
