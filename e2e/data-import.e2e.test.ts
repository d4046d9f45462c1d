import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";
import { ZENDESK_EMAIL, ZENDESK_TOKEN, startZendesk, zendeskExportFiles } from "../server/test/support/zendesk-fixture";
import { expectCleanPage, watchErrors } from "./page-checks";

const ADMIN = { email: "admin@import-e2e.test", password: "e2e-password-7" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let files: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-import-"));
  files = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-import-files-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  browser = await launchBrowser();
  const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  const dept = (await (await api("/api/v1/departments", { method: "POST", body: JSON.stringify({ name: "售后服务" }) })).json()) as {
    id: number;
  };
  await api("/api/v1/categories", { method: "POST", body: JSON.stringify({ name: "退换货", departmentId: dept.id }) });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(files, { recursive: true, force: true });
});

/** The spreadsheet card's file input (the helpdesk card below has its own). */
const spreadsheetInput = (page: Page) => page.locator("input[type=file][accept='.xlsx,.csv']");

async function ticketLog() {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("工单台账");
  sheet.addRow(["序号", "主题", "问题描述", "状态", "优先级", "问题分类", "客户", "客户邮箱", "创建时间", "解决时间", "处理结果"]);
  sheet.addRow([
    "A-1",
    "申请退货 E2E-导入甲",
    "尺码不合适",
    "已解决",
    "普通",
    "退换货",
    "冯一",
    "feng@import-e2e.test",
    "2025-10-08 09:00",
    "2025-10-08 15:30",
    "已退款",
  ]);
  sheet.addRow([
    "A-2",
    "快递破损 E2E-导入乙",
    "外箱压坏",
    "已关闭",
    "紧急",
    "退换货",
    "陈二",
    "chen@import-e2e.test",
    "2025-10-09 10:00",
    "2025-10-10 10:00",
    "已补发",
  ]);
  sheet.addRow(["A-3", "等回复的工单 E2E-导入丙", "", "待定", "普通", "", "楚三", "chu@import-e2e.test", "2025-10-11", "", ""]);
  sheet.addRow(["A-4", "日期写错的工单", "", "已解决", "普通", "", "卫四", "wei@import-e2e.test", "十月中旬", "", ""]);
  const file = path.join(files, "去年工单台账.xlsx");
  await book.xlsx.writeFile(file);
  return file;
}

const next = (page: Page, testId: string) => page.getByTestId(testId).click();

describe("data import, export and backups in the admin console", () => {
  it("an admin imports last year's Excel log and a GBK customer list through the wizard, exports everything and backs up", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page, "admin");
    await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, "/admin/data");
    await page.getByText("导入数据").first().waitFor();
    await expectCleanPage(page, "data admin (empty)");

    // Upload: the wizard opens with the columns guessed from the Chinese headers.
    await spreadsheetInput(page).setInputFiles(await ticketLog());
    await page.waitForURL(/\/admin\/data\/imports\/\d+$/);
    const importUrl = page.url();
    await page.getByText("每一列导入到哪个字段").waitFor();
    expect(await page.getByTestId("import-column-1").innerText()).toContain("主题");
    expect(await page.getByTestId("import-column-7").innerText()).toContain("客户邮箱");
    await expectCleanPage(page, "import: columns");
    await screenshot(page, "import-columns");
    await next(page, "import-columns-next");

    // Values: their unknown status is marked; the admin says what it means.
    await page.getByText("文件里的取值对应到系统中的哪一项").waitFor();
    await page.getByText("未识别").first().waitFor();
    await pickOption(page, page.locator(".ant-select").filter({ has: page.getByLabel("status:待定") }), "等待客户");
    await expectCleanPage(page, "import: values");
    await screenshot(page, "import-values");
    await next(page, "import-values-next");

    // Check: the bad date is named by row and column; the report downloads as Excel.
    await next(page, "import-check");
    await page.getByTestId("import-check-summary").waitFor();
    expect(await page.getByTestId("import-check-summary").innerText()).toContain("3 行将导入");
    const problems = await page.getByTestId("import-problems").innerText();
    expect(problems).toContain("十月中旬");
    expect(problems).toContain("不是能识别的日期时间");
    const report = await page.request.get(`${server.url}/api/v1/imports/${importUrl.split("/").pop()}/report`);
    expect(report.headers()["content-type"]).toContain("spreadsheetml");
    await screenshot(page, "import-check");

    // Import: the summary links the new tickets, and stays after a reload.
    await next(page, "import-start");
    await page.getByText("已导入 3 条").waitFor({ timeout: ASYNC_TIMEOUT });
    await page.reload();
    await page.getByText("已导入 3 条").waitFor();
    await expectCleanPage(page, "import: summary");
    await screenshot(page, "import-done");
    await page.getByTestId("import-created").getByText("申请退货 E2E-导入甲").click();
    await page.waitForURL(/\/tickets\/\d+/);
    await page.getByText("已退款").first().waitFor();

    // A customer list from Excel on Chinese Windows: CSV in GBK.
    await page.goto(`${server.url}/admin/data`);
    await pickOption(page, page.locator(".ant-select").filter({ has: page.getByLabel("导入内容") }), "客户");
    const csv = path.join(files, "客户名单.csv");
    fs.writeFileSync(
      csv,
      iconv.encode(
        "姓名,手机,邮箱,公司\r\n蒋五,13700000005,jiang@import-e2e.test,远山贸易\r\n沈六,13700000006,shen@import-e2e.test,远山贸易\r\n",
        "gbk",
      ),
    );
    await spreadsheetInput(page).setInputFiles(csv);
    await page.getByText("每一列导入到哪个字段").waitFor();
    expect(await page.getByTestId("import-column-0").innerText()).toContain("名称");
    await next(page, "import-columns-next");
    await next(page, "import-values-next");
    await next(page, "import-check");
    await page.getByText("2 行将导入").waitFor();
    await next(page, "import-start");
    await page.getByText("已导入 2 条").waitFor({ timeout: ASYNC_TIMEOUT });
    expect(await page.getByTestId("import-created").innerText()).toContain("蒋五");

    // Export everything, and a backup: each copies the whole workspace in a job (on the embedded engine
    // the data directory is copied and opened on the side), which took over 30 s once with every suite
    // running at once on the two cores (alone: a few seconds).
    await page.goto(`${server.url}/admin/data`);
    await next(page, "export-everything");
    await page.locator("[data-testid^=export-download-]").waitFor({ timeout: 2 * ASYNC_TIMEOUT });
    await next(page, "backup-now");
    await page.getByText("备份完成").waitFor({ timeout: 2 * ASYNC_TIMEOUT });
    await page.getByText("每 24 小时自动备份一次").waitFor();
    expect(await page.locator("tr", { hasText: "毫秒" }).count()).toBe(1);
    await expectCleanPage(page, "data admin (after)");
    await screenshot(page, "data-admin");
    expect(errors).toEqual([]);
  });

  it("an admin imports a Zendesk export with its attachments and reads the conversation on the ticket", async () => {
    const zendesk = await startZendesk();
    try {
      const exported = zendeskExportFiles(zendesk.url);
      const paths = Object.entries(exported).map(([name, data]) => {
        const file = path.join(files, name);
        fs.writeFileSync(file, data);
        return file;
      });
      const page = await browser.newPage();
      const errors = watchErrors(page, "admin");
      await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, "/admin/data");
      await page.getByText("从其他工单系统导入").waitFor();
      await page.locator("input[type=file][accept*=json]").setInputFiles(paths);
      await page.getByLabel("Zendesk 地址").fill(zendesk.url);
      await page.getByLabel("管理员邮箱").fill(ZENDESK_EMAIL);
      await page.getByLabel("API 令牌").fill(ZENDESK_TOKEN);
      await screenshot(page, "helpdesk-sources");
      await next(page, "zendesk-files-upload");
      await page.waitForURL(/\/admin\/data\/imports\/\d+$/);
      // What was found, and their agents and groups to match.
      expect(await page.getByTestId("helpdesk-survey").innerText()).toMatch(/工单\s*4/);
      await page.getByText("old.agent@acme.example").waitFor();
      await page.getByText("未识别").first().waitFor();
      await expectCleanPage(page, "helpdesk import: values");
      await screenshot(page, "helpdesk-values");
      await next(page, "import-values-next");
      await page.getByText("导入的工单是历史记录").waitFor();
      await next(page, "import-start");
      await page.getByText("已导入 4 条").waitFor({ timeout: ASYNC_TIMEOUT });
      await expectCleanPage(page, "helpdesk import: summary");
      await screenshot(page, "helpdesk-done");
      // The ticket: the internal note, the customer's reply with its attachment, where it came from.
      await page.getByTestId("import-created").getByText("打印机无法连接网络").click();
      await page.waitForURL(/\/tickets\/\d+/);
      await page.getByText("内部：可能是固件问题，先查型号").waitFor();
      await page.getByText("发票.pdf").first().waitFor();
      await page.getByText("从Zendesk导入，原工单 1001").first().waitFor();
      await expectCleanPage(page, "imported Zendesk ticket");
      await screenshot(page, "helpdesk-ticket");
      expect(errors).toEqual([]);
    } finally {
      await zendesk.stop();
    }
  });
});
