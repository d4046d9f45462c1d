import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";

const ADMIN = { email: "admin@admin-e2e.test", password: "e2e-password-3" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-admin-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const signIn = (page: Page, email: string, password: string, at?: string) => signInAsStaff(page, server.url, email, password, at);

/** Picks an option in an Ant Design select found by its label. */
const choose = (page: Page, label: string, option: string) =>
  pickOption(page, page.locator(".ant-select").filter({ has: page.getByLabel(label, { exact: true }) }), option);

const modal = (page: Page) => page.locator(".ant-modal:visible");

describe("admin console", () => {
  it("an admin sets up a department, a colleague, a custom field, a shared canned reply and an API token", async () => {
    const page = await browser.newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByTestId("admin-link").click();
    await page.getByRole("button", { name: "添加员工" }).waitFor();

    await page.getByRole("menuitem", { name: "部门与团队" }).click();
    await page.getByRole("button", { name: "添加部门" }).click();
    await modal(page).getByLabel("部门名称").fill("华东售后");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.locator(".ant-table").first().textContent()).toContain("华东售后");
    await screenshot(page, "admin-departments");

    await page.getByRole("menuitem", { name: "员工" }).click();
    await page.getByRole("button", { name: "添加员工" }).click();
    await modal(page).getByLabel("邮箱").fill("lina@admin-e2e.test");
    await modal(page).getByLabel("姓名").fill("李娜");
    await modal(page).getByLabel("初始密码").fill("first-password-1");
    await choose(page, "部门", "华东售后");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.locator(".ant-table").textContent()).toContain("李娜");
    expect(await page.locator("tr", { hasText: "李娜" }).textContent()).toContain("华东售后");
    await screenshot(page, "admin-staff");

    await page.getByRole("menuitem", { name: "自定义字段" }).click();
    await page.getByRole("button", { name: "添加字段" }).click();
    await modal(page).getByLabel("显示名称").fill("订单号");
    await modal(page).getByLabel("字段标识").fill("order_no");
    await modal(page).getByLabel("校验规则（正则表达式）").fill("^DD(");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    // The server's schema refuses the broken pattern; the message lands on that field.
    await expect.poll(() => modal(page).textContent()).toContain("不是有效的正则表达式");
    await modal(page).getByLabel("校验规则（正则表达式）").fill("^DD\\d{10}$");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.locator(".ant-table").textContent()).toContain("order_no");
    await screenshot(page, "admin-fields");

    await page.getByRole("menuitem", { name: "快捷回复" }).click();
    await page.getByRole("button", { name: "添加快捷回复" }).click();
    await modal(page).getByLabel("标题").fill("退货说明");
    await modal(page).getByLabel("内容").fill("{{customer.name}}您好，工单 #{{ticket.number}} 的退货已受理。——{{agent.name}}");
    // check() verifies the box changed (a click landing while the dialog zooms in is otherwise lost).
    await modal(page).getByRole("checkbox", { name: "共享给团队" }).check();
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.locator(".ant-table").textContent()).toContain("团队共享");

    await page.getByRole("menuitem", { name: "API 令牌" }).click();
    await page.getByPlaceholder("令牌名称").fill("CRM 对接");
    await page.getByRole("button", { name: "创建令牌" }).click();
    const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
    expect(token).toMatch(/^ldk_/);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(ADMIN.email);
    await page.close();
  });

  it("the new colleague signs in, saves and shares a view, and inserts the canned reply with its placeholders filled", async () => {
    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    const created = await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({
        subject: "退货申请",
        description: "要退货",
        priority: "urgent",
        customer: { email: "zhao@example.cn", name: "赵敏" },
      }),
    });
    const ticket = (await created.json()) as { id: number; number: number };
    await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({ subject: "普通咨询", description: "问价格", customer: { email: "qian@example.cn" } }),
    });

    const page = await browser.newPage();
    await signIn(page, "lina@admin-e2e.test", "first-password-1");
    await page.getByRole("menuitem", { name: /全部未解决/ }).click();
    await choose(page, "按优先级", "紧急");
    await expect.poll(() => page.locator(".ant-table-tbody").textContent()).not.toContain("普通咨询");
    await page.getByRole("button", { name: "另存为视图" }).click();
    await modal(page).getByLabel("视图名称").fill("紧急工单");
    await modal(page).getByRole("checkbox", { name: "共享给团队（所有客服可见）" }).check();
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await page.getByRole("menuitem", { name: /紧急工单/ }).waitFor();
    await screenshot(page, "saved-view");

    // The admin sees the shared view, with its live count.
    const adminPage = await browser.newPage();
    await signIn(adminPage, ADMIN.email, ADMIN.password);
    await adminPage.getByRole("menuitem", { name: /紧急工单/ }).click();
    await expect.poll(() => adminPage.locator(".ant-table-tbody").textContent()).toContain("退货申请");
    expect(await adminPage.locator(".ant-table-tbody").textContent()).not.toContain("普通咨询");
    await adminPage.close();

    await page.goto(`${server.url}/tickets/${ticket.id}`);
    await page.getByTestId("ticket-title").waitFor();
    // This select inserts and clears itself: the text in the reply box is the check.
    await page.getByLabel("插入快捷回复", { exact: true }).click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "退货说明" }).first().click();
    await expect.poll(() => page.getByLabel("内容").inputValue()).toBe(`赵敏您好，工单 #${ticket.number} 的退货已受理。——李娜`);
    // On the canned-reply page the shared reply says who keeps it, with nothing for her to edit or delete.
    await page.goto(`${server.url}/admin/canned`);
    const shared = page.locator("tr", { hasText: "退货说明" });
    await expect.poll(() => shared.textContent()).toContain("由主管维护");
    expect(await shared.getByRole("button").count()).toBe(0);
    await page.close();
  });

  it("an admin sets up a working calendar and an SLA policy; a matching ticket gets its clocks", async () => {
    const page = await browser.newPage();
    await signIn(page, ADMIN.email, ADMIN.password, "/admin/sla");
    await page.getByRole("button", { name: "添加日历" }).click();
    await modal(page).getByLabel("名称").fill("北京客服中心");
    await modal(page).getByLabel("周三").fill("09:00-12:00, 25:00-26:00");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    // The server's schema refuses the impossible hours; the message lands on that weekday.
    await expect.poll(() => modal(page).textContent()).toContain("格式不正确");
    await modal(page).getByLabel("周三").fill("09:00-12:00, 13:00-18:00");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.getByTestId("calendars").textContent()).toContain("北京客服中心");

    await expect.poll(() => page.locator(".ant-modal:visible").count()).toBe(0);
    await page.getByRole("button", { name: "添加策略" }).click();
    await modal(page).waitFor();
    await modal(page).getByLabel("名称").fill("紧急工单 1 小时");
    await modal(page).locator(".ant-select", { hasText: "优先级" }).click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "紧急" }).click();
    await page.keyboard.press("Escape");
    await modal(page).getByLabel("首次响应（小时）").fill("1");
    await modal(page).getByLabel("解决时效（小时）").fill("8");
    await modal(page)
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await expect.poll(() => page.getByTestId("sla-policies").textContent()).toContain("紧急工单 1 小时");
    await screenshot(page, "admin-sla");

    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    const created = await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({ subject: "生产线停机", description: "紧急", priority: "urgent", customer: { email: "ops@example.cn" } }),
    });
    const ticket = (await created.json()) as { id: number };
    await page.goto(`${server.url}/tickets/${ticket.id}`);
    await expect.poll(() => page.getByTestId("sla-card").textContent(), { timeout: 15_000 }).toContain("策略：紧急工单 1 小时");
    expect(await page.getByTestId("sla-first_response").textContent()).toBe("计时中");
    await page.close();
  });
  it("a supervisor whose role requires it sets up two-factor sign-in, then signs in with the app's code or a recovery code", async () => {
    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    const lead = { email: "wang@admin-e2e.test", password: "lead-password-7" };
    const created = await api("/api/v1/staff", {
      method: "POST",
      body: JSON.stringify({ email: lead.email, name: "王主管", role: "supervisor", password: lead.password }),
    });
    expect(created.status).toBe(201);
    await api("/api/v1/security/settings", { method: "PUT", body: JSON.stringify({ twoFactorRoles: ["supervisor"] }) });
    try {
      const signInWithPassword = async (page: Page) => {
        await page.goto(`${server.url}/login`);
        await page.getByLabel("邮箱").fill(lead.email);
        await page.getByLabel("密码").fill(lead.password);
        await page.getByRole("button", { name: /登\s*录/ }).click();
      };
      // The password alone opens only the set-up page.
      const page = await browser.newPage();
      await signInWithPassword(page);
      await page.getByRole("button", { name: "开启两步验证" }).click();
      const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").trim();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await screenshot(page, "two-factor-setup");
      const code = () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
      await page.getByLabel("6 位动态码").fill(code());
      await page.getByRole("button", { name: /确\s*认/ }).click();
      const codes = ((await page.getByTestId("recovery-codes").locator("pre").textContent()) ?? "").split("\n");
      expect(codes).toHaveLength(10);
      await screenshot(page, "two-factor-recovery-codes");
      await page.getByRole("button", { name: "我已保存恢复码" }).click();
      await page.getByTestId("current-user").waitFor();

      // Next time: password, then the app's code.
      const next = await browser.newPage();
      await signInWithPassword(next);
      await next.getByLabel("6 位动态码").fill(code());
      await screenshot(next, "two-factor-sign-in");
      await next.getByRole("button", { name: "验证并登录" }).click();
      await next.getByTestId("current-user").waitFor();

      // A lost phone: a recovery code.
      const phoneless = await browser.newPage();
      await signInWithPassword(phoneless);
      await phoneless.getByRole("button", { name: "手机不在身边？使用恢复码" }).click();
      await phoneless.getByLabel("恢复码").fill(codes[0] as string);
      await phoneless.getByRole("button", { name: "验证并登录" }).click();
      await phoneless.getByTestId("current-user").waitFor();
      for (const p of [page, next, phoneless]) await p.close();
    } finally {
      await api("/api/v1/security/settings", { method: "PUT", body: JSON.stringify({ twoFactorRoles: [] }) });
    }
  });
  it("a page whose code cannot load (a tab left open across an upgrade) says so with a reload button; other pages still open", async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.route("**/assets/AnalyticsPage-*.js", (route) => route.abort());
    await page.getByTestId("analytics-link").click();
    const error = page.getByTestId("page-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("页面出错了");
    await screenshot(page, "page-error");
    // The rest of the workspace still works; reloading loads the page once its code can.
    await error.getByRole("link", { name: "返回首页" }).click();
    await page.getByTestId("knowledge-link").click();
    await page.getByTestId("new-article").waitFor();
    await page.goto(`${server.url}/analytics`);
    await error.waitFor();
    await page.unroute("**/assets/AnalyticsPage-*.js");
    await error.getByRole("button", { name: "重新加载" }).click();
    await page.getByTestId("analytics-tabs").waitFor();
    await page.close();
  });
});
