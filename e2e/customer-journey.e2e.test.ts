import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailText, startSmtpSink } from "../server/test/support/smtp-sink";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, screenshot, signInAsStaff } from "./browser";

const ADMIN = { email: "admin@journey-e2e.test", password: "e2e-password-4" };
const CUSTOMER = "chen.jing@example.cn";
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let api: Awaited<ReturnType<typeof httpClient>>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-journey-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
    SMTP_URL: smtp.url,
  });
  browser = await launchBrowser();
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = async (url: string, body: unknown) => {
  const res = await api(url, { method: "POST", body: JSON.stringify(body) });
  expect(res.status, url).toBeLessThan(300);
  return res.json() as Promise<{ id: number }>;
};

const signInStaff = (page: Page, at?: string) => signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, at);

describe("the closed loop in the browser", () => {
  it("portal ticket with a template field and an attachment → live in 未分配 → note and reply → solved → customer reopens; status page agrees", async () => {
    const category = await post("/api/v1/categories", { name: "设备报修" });
    await post("/api/v1/categories", { name: "发票" });
    await post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "device_model",
      label: "设备型号",
      type: "text",
      required: true,
      categoryIds: [category.id],
    });
    await post("/api/v1/customers", { name: "陈静", identities: [{ kind: "email", value: CUSTOMER }] });

    // The agent watches the unassigned queue.
    const agentContext = await browser.newContext();
    const agent = await agentContext.newPage();
    await signInStaff(agent);
    await agent.getByRole("menuitem", { name: /未分配/ }).click();
    await agent.getByTestId("view-count-unassigned").waitFor();
    const unassignedBefore = Number(await agent.getByTestId("view-count-unassigned").textContent());

    // The customer signs in with a code sent by email.
    const customerContext = await browser.newContext();
    const customer = await customerContext.newPage();
    await customer.goto(`${server.url}/portal`);
    await customer.getByText("邮箱验证码登录").click();
    await customer.getByLabel("邮箱", { exact: true }).fill(CUSTOMER);
    await customer.getByRole("button", { name: "发送验证码" }).click();
    await customer.getByTestId("code-sent").waitFor();
    await expect.poll(() => smtp.received.filter((m) => m.to.includes(CUSTOMER)).length, { timeout: 15_000 }).toBe(1);
    const code = /(\d{6})/.exec(mailText(smtp.received.at(-1)?.raw ?? ""))?.[1] ?? "";
    await customer.getByLabel("验证码", { exact: true }).fill(code);
    await customer.getByRole("button", { name: /登\s*录/ }).click();
    await customer.getByTestId("current-user").waitFor();
    expect(await customer.getByTestId("current-user").textContent()).toBe("陈静");

    // New ticket: the category's template asks for the device model.
    await customer.getByTestId("portal-new-ticket").click();
    await customer.getByLabel("标题").fill("扫地机无法开机");
    await customer.getByLabel("详细描述").fill("充电一晚后仍然无法开机");
    expect(await customer.getByLabel("设备型号").count()).toBe(0);
    await customer.getByLabel("问题类型").click();
    await customer.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "设备报修" }).click();
    await customer.getByLabel("设备型号").waitFor();
    await customer.getByRole("button", { name: /提\s*交/ }).click();
    await expect.poll(() => customer.getByText("请填写设备型号").count()).toBe(1);
    await customer.getByLabel("设备型号").fill("LX-200");
    await customer
      .getByTestId("file-input")
      .setInputFiles({ name: "铭牌.txt", mimeType: "text/plain", buffer: Buffer.from("SN 2026-001") });
    await expect.poll(() => customer.getByTestId("pending-attachments").textContent()).toContain("铭牌.txt");
    await screenshot(customer, "portal-new-ticket");
    await customer.getByRole("button", { name: /提\s*交/ }).click();
    await customer.waitForURL(/\/portal\/tickets\/\d+$/);
    const ticketId = Number(customer.url().split("/").pop());
    const ticket = (await (await api(`/api/v1/tickets/${ticketId}`)).json()) as { number: number; customFields: Record<string, string> };
    expect(ticket.customFields).toEqual({ device_model: "LX-200" });

    // It arrives in the agent's open queue without a reload.
    await expect.poll(() => agent.locator(".ant-table-tbody").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("扫地机无法开机");
    await expect.poll(async () => Number(await agent.getByTestId("view-count-unassigned").textContent())).toBe(unassignedBefore + 1);
    await agent.locator(".ant-table-tbody tr", { hasText: "扫地机无法开机" }).click();
    await agent.getByTestId("ticket-title").waitFor();
    expect(await agent.getByTestId("attachments").first().textContent()).toContain("铭牌.txt");
    await agent.getByText("内部备注", { exact: true }).first().click();
    await agent.getByLabel("内容").fill("内部：先查保修记录");
    await agent.getByRole("button", { name: "添加备注" }).click();
    await agent.getByTestId("internal-note").waitFor();
    await agent.getByText("回复客户", { exact: true }).click();
    await agent.getByLabel("内容").fill("您好，请长按电源键 10 秒重启。");
    await agent.getByRole("button", { name: "发送回复" }).click();
    await agent.getByTestId("public-reply").waitFor();
    await screenshot(agent, "ticket-page");

    // The customer sees the reply live, never the note.
    await expect
      .poll(() => customer.getByTestId("portal-message").allTextContents(), { timeout: ASYNC_TIMEOUT })
      .toContainEqual(expect.stringContaining("长按电源键"));
    expect(await customer.locator("body").textContent()).not.toContain("先查保修记录");
    await screenshot(customer, "portal-ticket");

    // The agent solves; the customer's reply reopens it.
    await agent.getByLabel("状态", { exact: true }).click();
    await agent.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "已解决" }).click();
    await expect.poll(() => agent.getByTestId("ticket-status").textContent()).toBe("已解决");
    await expect.poll(() => customer.getByTestId("portal-state").textContent(), { timeout: ASYNC_TIMEOUT }).toBe("已解决");
    await customer.getByLabel("回复").fill("重启后还是不行");
    await customer.getByTestId("portal-send").click();
    await expect.poll(() => agent.getByTestId("ticket-status").textContent(), { timeout: ASYNC_TIMEOUT }).toBe("处理中");

    // Anyone with the number and the email sees the same status, nothing more.
    const visitor = await browser.newPage();
    await visitor.goto(`${server.url}/status`);
    await visitor.getByLabel("工单号").fill(String(ticket.number));
    await visitor.getByLabel("邮箱或手机号").fill(CUSTOMER);
    await visitor.getByRole("button", { name: /查\s*询/ }).click();
    await visitor.getByTestId("status-answer").waitFor();
    const answer = await visitor.getByTestId("status-answer").textContent();
    expect(answer).toContain("处理中");
    expect(answer).not.toContain("扫地机");
    await screenshot(visitor, "status-page");
    await visitor.getByLabel("邮箱或手机号").fill("someone.else@example.cn");
    await visitor.getByRole("button", { name: /查\s*询/ }).click();
    await visitor.getByTestId("status-error").waitFor();
    await visitor.close();
    await agentContext.close();
    await customerContext.close();
  });

  it("an admin invites a colleague by email; the link lets them set a password and work", async () => {
    const page = await browser.newPage();
    // Whether mail works arrives only after the dialog is open, as on a slow line.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route("**/api/v1/auth/options", async (route) => {
      await held;
      await route.continue();
    });
    await signInStaff(page, "/admin/staff");
    await page.getByRole("button", { name: "添加员工" }).click();
    const dialog = page.locator(".ant-modal:visible");
    await dialog.getByLabel("邮箱").fill("zhou.min@journey-e2e.test");
    await dialog.getByLabel("姓名").fill("周敏");
    release();
    // Invitation is the default when mail works, also when the dialog opened before the page knew.
    await expect.poll(() => dialog.getByLabel("初始密码").count()).toBe(0);
    await dialog.getByRole("button", { name: /保\s*存/ }).click();
    await expect.poll(() => page.locator("tr", { hasText: "周敏" }).textContent()).toContain("已邀请");
    await expect.poll(() => smtp.received.filter((m) => m.to.includes("zhou.min@journey-e2e.test")).length, { timeout: 15_000 }).toBe(1);
    const link = /https?:\/\/\S+\/invite\?token=[\w-]+/.exec(mailText(smtp.received.at(-1)?.raw ?? ""))?.[0] ?? "";
    await page.close();

    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
    await invitee.getByLabel("新密码").fill("zhou-min-pass-1");
    await invitee.getByRole("button", { name: "设置密码并登录" }).click();
    await invitee.getByTestId("current-user").waitFor();
    expect(await invitee.getByTestId("current-user").textContent()).toBe("周敏");
    await invitee.context().close();
  });

  it("a customer urges from the status page; the agent's bell rings live and leads to the ticket; a second urge is refused in words", async () => {
    const created = await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({ subject: "退款迟迟未到账", description: "已经一周了", customer: { email: "wu.lei@example.cn" } }),
    });
    const ticket = (await created.json()) as { id: number; number: number };
    const agent = await browser.newPage();
    await signInStaff(agent);
    await agent.getByTestId("bell").waitFor();
    const before = Number((await agent.getByTestId("bell-count").textContent())?.replace(/\D/g, "") || 0);

    const visitor = await browser.newPage();
    await visitor.goto(`${server.url}/status`);
    await visitor.getByLabel("工单号").fill(String(ticket.number));
    await visitor.getByLabel("邮箱或手机号").fill("wu.lei@example.cn");
    await visitor.getByRole("button", { name: /查\s*询/ }).click();
    await visitor.getByTestId("status-urge").click();
    await expect.poll(() => visitor.getByTestId("status-urge-result").textContent()).toContain("已催办");
    await visitor.getByTestId("status-urge").click();
    await expect.poll(() => visitor.getByTestId("status-urge-result").textContent()).toMatch(/您刚刚已催办过，请 \d+ 分钟后再试/);
    await visitor.close();

    // The bell rings live (the new ticket's own assignment may ring it too, whenever routing gets to it).
    await expect
      .poll(async () => Number((await agent.getByTestId("bell-count").textContent())?.replace(/\D/g, "") || 0), { timeout: 15_000 })
      .toBeGreaterThan(before);
    await agent.getByTestId("bell").click();
    await agent.getByTestId("notification-list").getByText(`催办了工单 #${ticket.number}`).click();
    await agent.waitForURL(new RegExp(`/tickets/${ticket.id}$`));
    // The ticket tells whoever opens it that the customer urged it.
    await expect.poll(() => agent.getByTestId("urge-banner").textContent()).toContain("已被催办 1 次");
    await agent.close();
  });

  it("solving mails the resolution with a link: the customer rates it on the feedback page, and the agent sees the rating", async () => {
    const ticket = await post("/api/v1/tickets", {
      subject: "发票抬头写错了",
      description: "请重开",
      customer: { email: "rate.me@example.cn" },
    });
    await post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已为您重开发票，请查收邮箱。", visibility: "public", status: "solved" });
    let link = "";
    await expect
      .poll(
        () => {
          const mail = smtp.received.find((m) => m.to.includes("rate.me@example.cn"));
          link = /https?:\/\/\S+\/feedback\/[A-Za-z0-9_-]+/.exec(mailText(mail?.raw ?? ""))?.[0] ?? "";
          return link;
        },
        { timeout: 15_000 },
      )
      .not.toBe("");
    const customer = await browser.newPage();
    await customer.goto(`${server.url}${new URL(link).pathname}`);
    await customer.getByTestId("feedback-page").waitFor();
    expect(await customer.getByTestId("feedback-page").textContent()).toContain("已为您重开发票");
    await customer.getByRole("button", { name: /^满\s*意$/ }).click();
    await customer.getByLabel("补充说明（可选）").fill("处理很快，谢谢");
    await customer.getByRole("button", { name: "提交评价" }).click();
    await customer.getByText("感谢您的评价！").waitFor();
    await screenshot(customer, "feedback-page");

    const agent = await browser.newPage();
    await signInStaff(agent, `/tickets/${ticket.id}`);
    await expect.poll(() => agent.getByTestId("csat-card").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("处理很快，谢谢");
    await expect.poll(() => agent.getByTestId("timeline").textContent()).toContain("客户评价：5 星");
    await customer.close();
    await agent.close();
  });
  it("on a closed request the portal says a new message starts a linked request, and shows its number once sent", async () => {
    const email = "closed.case@example.cn";
    const ticket = (await post("/api/v1/tickets", { subject: "发票抬头开错了", description: "请重开", customer: { email } })) as {
      id: number;
    };
    await post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已重开", visibility: "public", status: "solved" });
    const closed = await api(`/api/v1/tickets/${ticket.id}`, { method: "PATCH", body: JSON.stringify({ status: "closed" }) });
    expect(closed.status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${server.url}/portal`);
    await page.getByText("邮箱验证码登录").click();
    await page.getByLabel("邮箱", { exact: true }).fill(email);
    await page.getByRole("button", { name: "发送验证码" }).click();
    const codeMail = () => smtp.received.filter((m) => m.to.includes(email) && mailText(m.raw).includes("验证码")).at(-1);
    await expect.poll(() => codeMail() !== undefined, { timeout: 15_000 }).toBe(true);
    await page.getByLabel("验证码", { exact: true }).fill(/(\d{6})/.exec(mailText(codeMail()?.raw ?? ""))?.[1] ?? "");
    await page.getByRole("button", { name: /登\s*录/ }).click();
    await page.getByTestId("portal-list").waitFor();
    await page.goto(`${server.url}/portal/tickets/${ticket.id}`);
    await expect.poll(() => page.getByTestId("portal-closed-hint").textContent()).toContain("留言后会为您提交一张新工单");
    await page.getByLabel("回复", { exact: true }).fill("新开的发票金额也不对");
    await page.getByRole("button", { name: /发\s*送/ }).click();
    await expect.poll(() => page.getByTestId("portal-reply").textContent(), { timeout: ASYNC_TIMEOUT }).toMatch(/已作为新工单 #\d+ 提交/);
    expect(await page.getByTestId("portal-closed-hint").count()).toBe(0);
    await page.close();
  });
});
