import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { parseMail, startSmtpSink } from "../server/test/support/smtp-sink";
import { launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";

const ADMIN = { email: "admin@reports-e2e.test", password: "e2e-password-7" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let api: Awaited<ReturnType<typeof httpClient>>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
const subjects = { solved: "发票抬头错误-已解决", phone: "电话报修-未处理", email: "邮件咨询-未处理" };

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-reports-"));
  smtp = await startSmtpSink();
  server = await spawnServer({
    DATA_DIR: dataDir,
    SMTP_URL: smtp.url,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  const create = async (subject: string, channel: string) => {
    const res = await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({ subject, description: "x", channel, customer: { email: `${channel}@reports-e2e.test` } }),
    });
    expect(res.status).toBe(201);
    return (await res.json()).id as number;
  };
  const solved = await create(subjects.solved, "email");
  const phone = await create(subjects.phone, "phone");
  // The phone ticket goes to a team: the overview slices by it.
  const department = await (await api("/api/v1/departments", { method: "POST", body: JSON.stringify({ name: "售后部" }) })).json();
  const team = await (
    await api("/api/v1/teams", { method: "POST", body: JSON.stringify({ name: "上门维修组", departmentId: department.id }) })
  ).json();
  const moved = await api(`/api/v1/tickets/${phone}/transfer`, {
    method: "POST",
    body: JSON.stringify({ teamId: team.id, reason: "需上门" }),
  });
  expect(moved.status, await moved.clone().text()).toBe(200);
  await create(subjects.email, "email");
  const reply = await api(`/api/v1/tickets/${solved}/messages`, {
    method: "POST",
    body: JSON.stringify({ body: "已为您重开发票", visibility: "public", status: "solved" }),
  });
  expect(reply.status).toBe(201);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const signIn = (page: Page, at?: string) => signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, at);
/** A KPI card's number, once the background refresh has counted the tickets. */
async function kpi(page: Page, key: string) {
  return (await page.getByTestId(`kpi-${key}`).locator(".ant-statistic-content").innerText()).trim();
}

describe("reports in the browser", () => {
  it("shows the overview with charts, opens the tickets behind a number, filters, exports, and goes to the wallboard", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signIn(page);
    await page.getByTestId("analytics-link").click();
    // The rollups follow the history within seconds (refresh job): reload until they have.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId("kpi-created").waitFor();
          return kpi(page, "created");
        },
        { timeout: 30_000, interval: 1500 },
      )
      .toBe("3");
    expect(await kpi(page, "resolved")).toBe("1");
    expect(await kpi(page, "backlog")).toBe("2");
    expect(await kpi(page, "fcr")).toBe("100%");
    for (const chart of ["trend", "channels", "categories", "heatmap"])
      await page.getByTestId(`chart-${chart}`).locator("canvas").first().waitFor();
    // The solved ticket's one stage: no department (未设置), one ticket.
    expect(await page.getByTestId("stages").locator("tbody tr").count()).toBe(1);
    expect(await page.getByTestId("stages").locator("tbody tr").textContent()).toContain("未设置");
    await page.getByTestId("stages").locator("tbody tr").click();
    await page.getByTestId("drill-list").getByText(subjects.solved).waitFor();
    await page.keyboard.press("Escape");
    await screenshot(page, "analytics-overview");

    await page.getByTestId("kpi-backlog").click();
    const drill = page.getByTestId("drill-list");
    await drill.getByText(subjects.phone).waitFor();
    await drill.getByText(subjects.email).waitFor();
    expect(await drill.getByText(subjects.solved).count()).toBe(0);
    const href = await page.getByTestId("drill-export-csv").getAttribute("href");
    const csv = await (await api(href as string)).text();
    expect(csv).toContain(subjects.phone);
    expect(csv).not.toContain(subjects.solved);
    await page.keyboard.press("Escape");

    // Completeness at creation per channel (no templates here: every ticket was complete), and its drill-down.
    const complete = page.getByTestId("complete-by-channel");
    const emailRow = complete.locator("tr").filter({ hasText: "邮件" });
    expect(await emailRow.textContent()).toContain("2 / 2");
    expect(await emailRow.textContent()).toContain("100%");
    await complete.locator("tr").filter({ hasText: "电话" }).click();
    await drill.getByText(subjects.phone).waitFor();
    expect(await drill.getByText(subjects.email).count()).toBe(0);
    await page.keyboard.press("Escape");

    // One channel: the numbers follow the filter.
    await pickOption(page, page.getByTestId("analytics-channel"), "电话");
    await expect.poll(() => kpi(page, "created")).toBe("1");
    expect(await kpi(page, "resolved")).toBe("0");

    // By team: the table lists the team's ticket; the filter narrows the numbers to it.
    await page.getByTestId("analytics-channel").locator(".ant-select-clear").click({ force: true });
    await expect.poll(() => kpi(page, "created")).toBe("3");
    const byTeam = page.getByTestId("by-team");
    await expect.poll(() => byTeam.locator("tr").filter({ hasText: "上门维修组" }).textContent()).toContain("1");
    await pickOption(page, page.getByTestId("analytics-team"), "上门维修组");
    await expect.poll(() => kpi(page, "created")).toBe("1");
    await page.getByTestId("stages-unsliced").waitFor();
    await screenshot(page, "analytics-team");

    await page.getByTestId("analytics-tabs").getByText("客服").click();
    const agents = page.getByTestId("agent-report");
    await agents.getByText("1", { exact: true }).first().waitFor();
    const table = await api(`/api/v1/analytics/export?from=2026-01-01&to=2027-12-31&table=agents&format=csv`);
    expect(await table.text()).toContain("已处理");
    await page.getByTestId("analytics-tabs").getByText("我的").click();
    expect((await page.getByTestId("my-handled").locator(".ant-statistic-content").innerText()).trim()).toBe("1");

    await page.getByTestId("wallboard-link").click();
    await page.getByTestId("wallboard").waitFor();
    expect((await page.getByTestId("wall-created").locator(".ant-statistic-content").innerText()).trim()).toBe("3");
    await page.getByTestId("wall-trend").locator("canvas").first().waitFor();
    await screenshot(page, "analytics-wallboard");
    await page.close();
  });

  it("an agent who opens the wallboard's address is told it is for supervisors, and asks for no team figures", async () => {
    const agent = { email: "agent@reports-e2e.test", password: "e2e-agent-password-7" };
    await api("/api/v1/staff", { method: "POST", body: JSON.stringify({ ...agent, name: "赵敏", role: "agent" }) });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const refused: string[] = [];
    page.on("response", (r) => {
      if (r.status() === 403) refused.push(r.url());
    });
    await signInAsStaff(page, server.url, agent.email, agent.password, "/wallboard");
    await page.getByTestId("wallboard-leads-only").getByText("仅主管和管理员可以查看").waitFor();
    await page.getByRole("link", { name: "退出大屏" }).click();
    await page.getByTestId("analytics-tabs").waitFor();
    expect(refused).toEqual([]);
    await page.close();
  });

  it("counts today in the workspace's zone, wherever the browser is", async () => {
    // UTC−12: a different calendar day from Asia/Shanghai for 20 hours of every day.
    const context = await browser.newContext({ timezoneId: "Etc/GMT+12", viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, "/analytics");
    const shanghaiToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const end = page.locator(".ant-picker-range input").nth(1);
    await expect.poll(() => end.inputValue()).toBe(shanghaiToday);
    await expect.poll(() => kpi(page, "created")).toBe("3");
    await context.close();
  });

  it("schedules a weekly report in the admin console and sends it now", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signIn(page, "/admin/reports");
    await page.getByRole("button", { name: "添加报表订阅" }).click();
    const dialog = page.locator(".ant-modal:visible");
    await dialog.getByLabel("名称").fill("客服周报");
    const recipients = dialog.getByLabel("收件人");
    await recipients.fill("boss@reports-e2e.test");
    await recipients.press("Enter");
    await dialog.getByRole("button", { name: /保\s*存/ }).click();
    const row = page.getByTestId("report-schedules").locator("tr", { hasText: "客服周报" });
    await row.waitFor();
    await row.getByText("boss@reports-e2e.test").waitFor();
    await row.getByRole("button", { name: "立即发送" }).click();
    await page.getByText(/已发送 .* 的报表/).waitFor();
    await expect.poll(() => smtp.received.filter((m) => m.to.includes("boss@reports-e2e.test")).length, { timeout: 15_000 }).toBe(1);
    const mail = await parseMail(smtp.received.find((m) => m.to.includes("boss@reports-e2e.test"))?.raw ?? "");
    expect(mail.subject).toMatch(/^【报表】客服周报：\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}$/);
    expect(mail.attachments[0]?.filename).toMatch(/\.csv$/);
    await page.close();
  });
});
