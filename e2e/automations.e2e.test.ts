import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpRecorder } from "../server/test/support/http-recorder";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";

const ADMIN = { email: "admin@rules-e2e.test", password: "e2e-password-7" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let receiver: Awaited<ReturnType<typeof startHttpRecorder>>;
let api: Awaited<ReturnType<typeof httpClient>>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-rules-"));
  receiver = await startHttpRecorder();
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const signIn = (page: Page, at?: string) => signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, at);
const modal = (page: Page) => page.locator(".ant-modal:visible");
/** Opens the n-th select inside `scope` and picks the option with this text. */
const pick = (page: Page, scope: ReturnType<Page["locator"]>, n: number, option: string) =>
  pickOption(page, scope.locator(".ant-select").nth(n), option);
async function createTicket(subject: string, priority = "normal") {
  const res = await api("/api/v1/tickets", {
    method: "POST",
    body: JSON.stringify({ subject, description: "机房 A 区", priority, customer: { email: "ops@rules-e2e.test" } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; number: number };
}

describe("automation rules in the admin console", () => {
  it("a supervisor's trigger is built, tested against a ticket, saved, and then acts on new tickets", async () => {
    const sample = await createTicket("服务器宕机", "high");
    const page = await browser.newPage();
    await signIn(page, "/admin/triggers");
    await page.getByRole("button", { name: "添加触发器" }).click();
    await modal(page).getByLabel("名称").fill("宕机加急");
    const all = page.getByTestId("conditions-all");
    await all.getByRole("button", { name: "添加条件" }).click();
    await pick(page, all, 0, "主题或描述");
    await pick(page, all, 1, "包含");
    await all.getByPlaceholder("值").fill("宕机");
    const actions = page.getByTestId("rule-actions");
    await pick(page, actions, 0, "设置优先级");
    await pick(page, actions, 1, "紧急");
    await actions.getByRole("button", { name: "添加动作" }).click();
    await pick(page, actions, 2, "添加内部备注");
    await actions.getByPlaceholder("内容").fill("已自动加急：{{ticket.subject}}");

    // Test against the sample ticket before saving: conditions with actual values, and what would happen.
    const preview = page.getByTestId("rule-preview");
    await preview.getByLabel("工单号").fill(String(sample.number));
    await preview.getByRole("button", { name: "用此工单测试" }).click();
    await preview.getByText("条件满足：将执行以下动作").waitFor();
    expect(await preview.textContent()).toContain("服务器宕机");
    expect(await preview.textContent()).toContain("设置优先级");
    await screenshot(page, "admin-trigger-preview");
    // The preview changed nothing.
    expect(((await (await api(`/api/v1/tickets/${sample.id}`)).json()) as { priority: string }).priority).toBe("high");

    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.locator(".ant-table").first().textContent()).toContain("宕机加急");
    await screenshot(page, "admin-triggers");

    const fresh = await createTicket("数据库宕机");
    await page.goto(`${server.url}/tickets/${fresh.id}`);
    await expect.poll(() => page.getByTestId("timeline").textContent(), { timeout: 15_000 }).toContain("触发器「宕机加急」已执行");
    expect(await page.getByTestId("internal-note").textContent()).toContain("已自动加急：数据库宕机");
    expect(((await (await api(`/api/v1/tickets/${fresh.id}`)).json()) as { priority: string }).priority).toBe("urgent");
    await page.close();
  });

  it("a time-based automation is set up and listed with its time condition", async () => {
    const page = await browser.newPage();
    await signIn(page, "/admin/automations");
    await page.getByRole("button", { name: "添加定时规则" }).click();
    await modal(page).getByLabel("名称").fill("等待客户 48 小时提醒");
    const actions = page.getByTestId("rule-actions");
    await pick(page, actions, 0, "回复客户");
    await actions.getByPlaceholder("内容").fill("{{customer.name}}您好，我们仍在等待您的回复。");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.locator(".ant-table").first().textContent()).toContain("状态为「等待客户」超过 48 小时");
    await screenshot(page, "admin-automations");
    await page.close();
  });

  it("a webhook is added, its test message and a re-send show in the delivery log", async () => {
    const page = await browser.newPage();
    await signIn(page, "/admin/webhooks");
    await page.getByRole("button", { name: "添加 Webhook" }).click();
    await modal(page).getByLabel("名称").fill("ERP 对接");
    await modal(page).getByLabel("地址").fill(`${receiver.url}/erp`);
    await modal(page).getByLabel("密钥").fill("erp-signing-key");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.locator(".ant-table").first().textContent()).toContain("ERP 对接");
    await page.getByRole("button", { name: "发送测试消息" }).click();
    await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBe(1);
    expect(receiver.requests[0]?.headers["x-loopdesk-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    await page.getByRole("button", { name: "推送记录" }).click();
    const log = page.getByTestId("delivery-log");
    await expect.poll(() => log.textContent(), { timeout: ASYNC_TIMEOUT }).toContain("成功");
    await log.getByRole("button", { name: "重新发送" }).first().click();
    await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBe(2);
    await expect.poll(async () => await log.locator("tbody tr.ant-table-row").count(), { timeout: ASYNC_TIMEOUT }).toBe(2);
    await screenshot(page, "admin-webhook-deliveries");
    await page.close();
  });

  it("escalation steps are part of an SLA policy, and each person picks how they are notified", async () => {
    const page = await browser.newPage();
    await signIn(page, "/admin/sla");
    await page.getByRole("button", { name: "添加策略" }).click();
    await modal(page).getByLabel("名称").fill("紧急升级");
    await modal(page).getByLabel("按工作时间计时").click();
    const steps = page.getByTestId("escalation-steps");
    await steps.getByRole("button", { name: "添加步骤" }).click();
    await steps.getByRole("button", { name: "添加步骤" }).click();
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.getByTestId("sla-policies").textContent()).toContain("紧急升级");
    const saved = (await (await api("/api/v1/sla-policies")).json()) as {
      items: { name: string; escalation: { action: string; afterMinutes: number }[] }[];
    };
    expect(saved.items.find((p) => p.name === "紧急升级")?.escalation).toEqual([
      expect.objectContaining({ afterMinutes: 0, action: "notify_assignee" }),
      expect.objectContaining({ afterMinutes: 30, action: "notify_supervisors" }),
    ]);

    await page.goto(`${server.url}/admin/notifications`);
    await page.getByLabel("工单分派给我 邮件").click();
    await expect
      .poll(
        async () =>
          ((await (await api("/api/v1/notifications/preferences")).json()) as { prefs: Record<string, { email: boolean }> }).prefs.assigned
            ?.email,
      )
      .toBe(true);
    await screenshot(page, "admin-notification-preferences");
    await page.close();
  });

  it("a follow-up visit is planned on the ticket page and its outcome recorded in the 回访 list", async () => {
    const ticket = await createTicket("安装后回访");
    const page = await browser.newPage();
    await signIn(page, `/tickets/${ticket.id}`);
    // On a busy machine the first click can land while the page is still settling: as a user would,
    // click again until the form opens.
    const reason = modal(page).getByLabel("回访原因");
    for (let attempt = 0; !(await reason.isVisible()); attempt++) {
      if (attempt === 5) throw new Error("the visit form did not open");
      await page.getByTestId("ticket-visits").getByRole("button", { name: "安排回访" }).click();
      await reason.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await reason.fill("确认安装效果");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.getByTestId("ticket-visits").textContent()).toContain("确认安装效果");

    await page.getByTestId("visits-link").click();
    const list = page.getByTestId("visit-list");
    await expect.poll(() => list.textContent()).toContain("确认安装效果");
    await list.getByRole("button", { name: "记录回访结果" }).first().click();
    await pick(page, modal(page), 0, "客户满意");
    await modal(page).getByLabel("客户反馈").fill("一切正常");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => list.textContent()).not.toContain("确认安装效果");
    await page.getByText("已完成", { exact: true }).click();
    await expect.poll(() => list.textContent()).toContain("客户满意 · 一切正常");
    await screenshot(page, "visits");
    await page.close();
  });

  it("the ticket list downloads as CSV with the list's filters", async () => {
    await createTicket("导出用的工单");
    const page = await browser.newPage();
    await signIn(page);
    await page.getByTestId("export-tickets").hover();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByText("导出 CSV").click()]);
    expect(download.suggestedFilename()).toMatch(/^tickets-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path()) as string, "utf8");
    expect(text.startsWith("\uFEFF工单号,主题,状态")).toBe(true);
    expect(text).toContain("导出用的工单");
    await page.close();
  });
});
