import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";
import { expectCleanPage, watchErrors } from "./page-checks";

const ADMIN = { email: "admin@privacy-e2e.test", password: "e2e-password-5" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let api: Awaited<ReturnType<typeof httpClient>>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-privacy-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  browser = await launchBrowser();
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const modal = (page: Page) => page.locator(".ant-modal:visible");

async function customerWithTicket(name: string, email: string, subject: string) {
  const ticket = await (
    await api("/api/v1/tickets", { method: "POST", body: JSON.stringify({ subject, customer: { email, name } }) })
  ).json();
  return { id: ticket.customerId as number, ticketId: ticket.id as number };
}

async function record(page: Page, kind: "查阅复制" | "删除", name: string) {
  await page.getByTestId("privacy-new").click();
  await modal(page).getByText(kind, { exact: true }).click();
  const select = modal(page)
    .locator(".ant-select")
    .filter({ has: page.getByLabel("按姓名、电话或邮箱查找客户") });
  await select.click();
  await page.keyboard.type(name.slice(0, 2));
  await pickOption(page, select, name);
  await page.locator("#privacy-new-ok").click();
  await modal(page).waitFor({ state: "hidden" });
}

describe("personal-information requests in the admin console", () => {
  it("an admin records an access request and sends the copy, then records an erasure, confirms it and reads the verification report", async () => {
    const copied = await customerWithTicket("司马青", "sima@privacy-e2e.test", "发票抬头写错了 SIMA-7731");
    const erased = await customerWithTicket("欧阳雪", "ouyang@privacy-e2e.test", "收货地址 OUYANG-5512 号楼");
    const page = await browser.newPage();
    const errors = watchErrors(page, "admin");
    await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, "/admin/privacy");
    await page.getByText("个人信息请求", { exact: true }).first().waitFor();

    await record(page, "查阅复制", "司马青");
    const row = page.locator("tr", { hasText: "司马青" });
    await expect.poll(() => row.textContent()).toMatch(/剩 1[45] 个工作日|待处理/);
    await row.getByRole("button", { name: "生成副本" }).click();
    await page.getByTestId("privacy-report").or(page.locator(".ant-drawer-body")).first().waitFor();
    const download = page.locator(".ant-drawer-body").getByRole("link", { name: "下载副本" });
    await download.waitFor();
    const href = await download.getAttribute("href");
    const zip = await api(href as string);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    await page.locator(".ant-drawer-close").click();

    await record(page, "删除", "欧阳雪");
    const erasing = page.locator("tr", { hasText: "欧阳雪" });
    await erasing.getByRole("button", { name: "执行删除" }).click();
    await expect.poll(() => page.locator("#privacy-erase-ok").isDisabled()).toBe(true);
    await modal(page).getByLabel("客户编号", { exact: true }).fill(String(erased.id));
    await page.locator("#privacy-erase-ok").click();
    const report = page.getByTestId("privacy-report");
    await report.waitFor();
    await expect.poll(() => report.textContent()).toContain("删除后未发现残留");
    await screenshot(page, "privacy-erasure-report");
    await page.locator(".ant-drawer-close").click();
    await expect.poll(() => page.locator(".ant-table").first().textContent()).toContain("已删除的客户");
    expect(await page.locator(".ant-table").first().textContent()).not.toContain("欧阳雪");
    await expectCleanPage(page, "privacy requests");
    await screenshot(page, "privacy-requests");

    // The erased customer's ticket keeps its place in the numbers but not its words.
    const ticket = await (await api(`/api/v1/tickets/${erased.ticketId}`)).json();
    expect(ticket.subject).not.toContain("OUYANG-5512");
    expect((await (await api(`/api/v1/tickets/${copied.ticketId}`)).json()).subject).toContain("SIMA-7731");

    // A retention rule for every ticket type.
    await page.getByLabel("保留", { exact: true }).last().fill("24");
    await page.getByRole("button", { name: "添加规则" }).click();
    await expect
      .poll(() => page.locator(".ant-card", { hasText: "保留规则" }).locator(".ant-table").textContent())
      .toContain("其他所有类型");
    expect(errors).toEqual([]);
  });
});
