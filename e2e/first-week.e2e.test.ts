import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailText, startSmtpSink } from "../server/test/support/smtp-sink";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";
import { expectCleanPage, watchErrors } from "./page-checks";

/**
 * A team's first week, in the browser, as each of its people: the administrator sets up, an
 * agent goes online and gets a ticket at once, logs a phone ticket for another department and
 * keeps seeing it, transfers a ticket with a reason, the customer follows progress in the portal,
 * and the supervisor opens every ticket behind a report. Any error page, raw id, untranslated
 * key or console error fails it.
 */
const ADMIN = { email: "admin@first-week.test", password: "first-week-admin-1" };
const PASSWORD = "first-week-pass-1";
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let api: Awaited<ReturnType<typeof httpClient>>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
const ids = {} as Record<string, number>;

beforeAll(async () => {
  smtp = await startSmtpSink();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-week-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
    SMTP_URL: smtp.url,
  });
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  const post = async (url: string, body: unknown) => {
    const res = await api(url, { method: "POST", body: JSON.stringify(body) });
    expect(res.status, `${url}: ${await res.clone().text()}`).toBeLessThan(300);
    return (await res.json()) as { id: number };
  };
  // The organisation as the admin found it: two departments, their people and teams.
  ids.afterSales = (await post("/api/v1/departments", { name: "售后服务" })).id;
  ids.finance = (await post("/api/v1/departments", { name: "财务" })).id;
  const staff = async (email: string, name: string, role: string, departmentId: number) =>
    (await post("/api/v1/staff", { email, name, role, password: PASSWORD, departmentIds: [departmentId] })).id;
  ids.lina = await staff("lina@first-week.test", "李娜", "agent", ids.afterSales);
  ids.wangfang = await staff("wangfang@first-week.test", "王芳", "supervisor", ids.afterSales);
  ids.sunqiang = await staff("sunqiang@first-week.test", "孙强", "agent", ids.finance);
  const afterSalesTeam = (await post("/api/v1/teams", { name: "售后一组", departmentId: ids.afterSales, memberIds: [ids.lina] })).id;
  const financeTeam = (await post("/api/v1/teams", { name: "财务组", departmentId: ids.finance, memberIds: [ids.sunqiang] })).id;
  // Finance works by the roster: online for its shift without signing in.
  const roster = await api(`/api/v1/routing/teams/${financeTeam}`, { method: "PATCH", body: JSON.stringify({ presenceMode: "shift" }) });
  expect(roster.status).toBe(200);
  expect(afterSalesTeam).toBeGreaterThan(0);
  ids.returns = (await post("/api/v1/categories", { name: "退换货", departmentId: ids.afterSales })).id;
  ids.customer = (await post("/api/v1/customers", { name: "陈小姐", email: "chen@first-week.test" })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function person(email: string, who: string) {
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const seen = watchErrors(page, who);
  await signInAsStaff(page, server.url, email, email.startsWith("admin") ? ADMIN.password : PASSWORD);
  return { page, seen };
}

const ticketsOf = async (customerId: number) =>
  (
    (await (await api(`/api/v1/tickets?customer=${customerId}&limit=50`)).json()) as {
      items: { id: number; subject: string; assigneeId: number | null; departmentId: number | null }[];
    }
  ).items;

describe("a team's first week", () => {
  it("admin sets up, agent works, transfers and keeps her tickets, customer follows, supervisor opens every reported ticket", async () => {
    // 1. The admin adds the category finance handles, in the admin console.
    const admin = await person(ADMIN.email, "admin");
    await admin.page.getByTestId("admin-link").click();
    await admin.page.getByRole("menuitem", { name: "工单类型" }).click();
    await admin.page.getByRole("button", { name: "添加工单类型" }).click();
    const dialog = admin.page.locator(".ant-modal:visible");
    await dialog.getByLabel("名称").fill("发票");
    await pickOption(admin.page, dialog.locator(".ant-select").filter({ has: admin.page.getByLabel("处理部门", { exact: true }) }), "财务");
    await dialog.getByRole("button", { name: /保\s*存/ }).click();
    await expect.poll(() => admin.page.locator(".ant-table").first().textContent()).toContain("发票");
    await expectCleanPage(admin.page, "admin: categories");
    await screenshot(admin.page, "week-admin-categories");
    const invoice = ((await (await api("/api/v1/categories")).json()) as { items: { id: number; name: string }[] }).items.find(
      (c) => c.name === "发票",
    );
    expect(invoice).toBeDefined();

    // 2. The agent signs in on her shift: the workspace offers to go online; she does.
    const lina = await person("lina@first-week.test", "李娜");
    await lina.page.getByTestId("go-online-prompt").waitFor();
    await lina.page.getByTestId("go-online").click();
    await expect.poll(() => lina.page.getByTestId("go-online-prompt").count()).toBe(0);
    await expectCleanPage(lina.page, "agent: queue");

    // 3. A customer writes in: assigned to her at once, and it shows in 我的工单.
    const incoming = await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({
        subject: "退货后想退款",
        description: "订单 DD20261204001 已寄回",
        categoryId: ids.returns,
        customer: { id: ids.customer },
      }),
    });
    const first = (await incoming.json()) as { id: number; number: number };
    await expect
      .poll(async () => ((await (await api(`/api/v1/tickets/${first.id}`)).json()) as { assigneeId: number | null }).assigneeId, {
        timeout: ASYNC_TIMEOUT,
      })
      .toBe(ids.lina);
    await expect.poll(() => lina.page.locator(".ant-table-tbody").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("退货后想退款");

    // 4. A phone call about an invoice: she logs it for finance; routing sends it there and she keeps it in view.
    await lina.page.goto(`${server.url}/tickets/new`);
    // She finds the caller by name: the field shows who she picked, not a number.
    const caller = lina.page.getByRole("combobox", { name: "客户", exact: true });
    // Typing a known customer's email is enough for the form to know who is calling.
    await caller.fill("chen@first-week.test");
    await expect.poll(() => lina.page.getByTestId("caller-open-tickets").textContent()).toContain("陈小姐");
    await caller.fill("陈");
    await lina.page.locator(".ant-select-item-option").filter({ hasText: "陈小姐" }).click();
    await expect.poll(() => caller.inputValue()).toBe("陈小姐 · chen@first-week.test");
    expect(await lina.page.getByLabel("客户姓名（新客户）").count()).toBe(0);
    // Beside the form: the caller's request still open, in case that is what she is calling about.
    await expect.poll(() => lina.page.getByTestId("caller-open-tickets").textContent()).toContain(`#${first.number} 退货后想退款`);
    await lina.page.getByLabel("主题").fill("电话：发票抬头要改");
    await pickOption(lina.page, lina.page.locator(".ant-form-item").filter({ hasText: "工单类型" }).locator(".ant-select"), "发票");
    await lina.page.getByRole("button", { name: /创\s*建/ }).click();
    await lina.page.waitForURL(/\/tickets\/\d+$/);
    await lina.page.getByTestId("ticket-title").waitFor();
    const phoneTicket = Number(/\/tickets\/(\d+)$/.exec(lina.page.url())?.[1]);
    expect(((await (await api(`/api/v1/tickets/${phoneTicket}`)).json()) as { customerId: number }).customerId).toBe(ids.customer);
    await expect.poll(() => lina.page.getByTestId("ticket-department").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("财务");
    await lina.page.getByTestId("participant-notice").waitFor();
    await expectCleanPage(lina.page, "agent: her phone ticket, now finance's");
    await screenshot(lina.page, "week-agent-phone-ticket");
    // She adds a note for finance.
    await lina.page.getByLabel("内容").fill("客户说今天要报销，请尽快");
    await lina.page.getByRole("button", { name: "添加备注" }).click();
    await lina.page.getByTestId("internal-note").waitFor();

    // 5. The return needs finance's refund: she transfers it with a reason, and is told who has it now.
    await lina.page.goto(`${server.url}/tickets/${first.id}`);
    await lina.page.getByTestId("transfer").click();
    await pickOption(lina.page, lina.page.getByTestId("transfer-department"), "财务");
    await expect.poll(() => lina.page.getByTestId("transfer-preview").textContent()).toContain("财务组");
    await lina.page.getByTestId("transfer-reason").fill("退货已入库，需要财务退款");
    await lina.page.locator("#transfer-confirm").click();
    await expect.poll(() => lina.page.locator(".ant-message").textContent(), { timeout: ASYNC_TIMEOUT }).toContain("孙强");
    await lina.page.getByTestId("participant-notice").waitFor();
    await expect.poll(() => lina.page.getByTestId("timeline").textContent()).toContain("退货已入库，需要财务退款");
    await expectCleanPage(lina.page, "agent: after the transfer");
    await screenshot(lina.page, "week-agent-transferred");

    // 6. The customer follows it in the portal: their own words, no staff fields.
    const customerContext = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const customer = await customerContext.newPage();
    const customerErrors = watchErrors(customer, "customer");
    // They sign in with a one-time code sent to their email.
    await customer.goto(`${server.url}/portal`);
    await customer.getByText("邮箱验证码登录").click();
    await customer.getByLabel("邮箱", { exact: true }).fill("chen@first-week.test");
    await customer.getByRole("button", { name: "发送验证码" }).click();
    await expect.poll(() => smtp.received.filter((m) => m.to.includes("chen@first-week.test")).length, { timeout: 15_000 }).toBe(1);
    const code = /(\d{6})/.exec(mailText(smtp.received.at(-1)?.raw ?? ""))?.[1] ?? "";
    await customer.getByLabel("验证码", { exact: true }).fill(code);
    await customer.getByRole("button", { name: /登\s*录/ }).click();
    await customer.getByTestId("portal-list").waitFor();
    await expect.poll(() => customer.getByTestId("portal-list").textContent()).toContain("退货后想退款");
    const portalText = await customer.locator("body").innerText();
    expect(portalText).not.toMatch(/优先级|渠道|挂起|处理人/);
    await customer.getByRole("link", { name: /退货后想退款/ }).click();
    await customer.getByTestId("portal-steps").waitFor();
    expect(await customer.getByTestId("portal-state").textContent()).toBe("处理中");
    await customer.getByLabel("回复").fill("好的，等你们退款");
    await customer.getByTestId("portal-send").click();
    await expect.poll(() => customer.getByTestId("portal-conversation").textContent()).toContain("等你们退款");
    await expectCleanPage(customer, "customer: portal ticket");
    await screenshot(customer, "week-customer-portal");

    // 7. The supervisor: the week's report, and every ticket behind its numbers opens.
    const wangfang = await person("wangfang@first-week.test", "王芳");
    await wangfang.page.getByTestId("analytics-link").click();
    await wangfang.page.getByTestId("kpi-created").waitFor();
    await expectCleanPage(wangfang.page, "supervisor: report");
    await screenshot(wangfang.page, "week-supervisor-report");
    await wangfang.page.getByTestId("kpi-created").click();
    await wangfang.page.getByTestId("drill-list").waitFor();
    const day = (d: Date) => d.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    const drill = await wangfang.page.evaluate(
      async (range) => {
        const res = await fetch(`/api/v1/analytics/tickets?metric=created&from=${range.from}&to=${range.to}&limit=200`);
        return (await res.json()) as { items: { id: number }[]; total: number };
      },
      { from: day(new Date(Date.now() - 6 * 86_400_000)), to: day(new Date()) },
    );
    expect(drill.items.length).toBe(drill.total);
    for (const t of drill.items) {
      await wangfang.page.goto(`${server.url}/tickets/${t.id}`);
      await wangfang.page.getByTestId("ticket-title").waitFor();
      await expectCleanPage(wangfang.page, `supervisor: ticket ${t.id} from the report`);
    }
    // Her agent's phone ticket went to finance; she reads it too (her person worked on it).
    const phone = (await ticketsOf(ids.customer)).find((t) => t.subject.includes("发票抬头"));
    expect(phone?.departmentId).toBe(ids.finance);

    expect([...admin.seen, ...lina.seen, ...customerErrors, ...wangfang.seen]).toEqual([]);
  }, 240_000);
});
