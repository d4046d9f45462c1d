import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { launchBrowser, screenshot } from "./browser";

// Data in plain ASCII, so any Chinese on an English screen can only come from the UI itself.
const ADMIN = { email: "admin@english-e2e.test", password: "e2e-password-5" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let ticketId: number;
const namespaces = Object.keys(JSON.parse(fs.readFileSync(path.resolve(__dirname, "../web/src/locales/en.json"), "utf8")));

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-en-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  browser = await launchBrowser();
  const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  await api("/api/v1/me", { method: "PATCH", body: JSON.stringify({ locale: "en" }) });
  // The admin's display name is Chinese by default; give it an ASCII one.
  const me = (await (await api("/api/v1/me")).json()) as { user: { id: number } };
  await api(`/api/v1/staff/${me.user.id}`, { method: "PATCH", body: JSON.stringify({ name: "Ada Admin" }) });
  const category = (await (await api("/api/v1/categories", { method: "POST", body: JSON.stringify({ name: "Repairs" }) })).json()) as {
    id: number;
  };
  await api("/api/v1/custom-fields", {
    method: "POST",
    body: JSON.stringify({
      entity: "ticket",
      key: "model",
      label: "Model",
      type: "select",
      options: [{ value: "a1", label: "A1" }],
      categoryIds: [category.id],
    }),
  });
  await api("/api/v1/canned-replies", {
    method: "POST",
    body: JSON.stringify({ title: "Hello", body: "Hello {{customer.name}}", shared: true }),
  });
  const ticket = await api("/api/v1/tickets", {
    method: "POST",
    body: JSON.stringify({
      subject: "Printer jams",
      description: "Paper jam on tray 2",
      categoryId: category.id,
      priority: "high",
      customFields: { model: "a1" },
      customer: { email: "bob@example.com", name: "Bob Lee" },
    }),
  });
  ticketId = ((await ticket.json()) as { id: number }).id;
  await api(`/api/v1/tickets/${ticketId}/messages`, {
    method: "POST",
    body: JSON.stringify({ body: "Checking the tray", visibility: "internal" }),
  });
  await api(`/api/v1/tickets/${ticketId}`, { method: "PATCH", body: JSON.stringify({ status: "open" }) });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Visible text of the page without the language switch (which names 中文 on purpose). */
const visibleText = (page: Page) =>
  page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const el of clone.querySelectorAll('[data-testid="language-switch"]')) el.remove();
    document.body.appendChild(clone);
    clone.style.position = "absolute";
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point (hidden nodes must not count)
    const text = clone.innerText;
    clone.remove();
    return text;
  });

async function expectAllEnglish(page: Page, screen: string) {
  await page.waitForLoadState("networkidle");
  const text = await visibleText(page);
  expect(text.match(/[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+/g) ?? [], `Chinese left on ${screen}`).toEqual([]);
  // A key left untranslated shows as "namespace.key"; canned-reply placeholders ({{customer.name}}) are meant to show.
  const keys = text.match(new RegExp(`(?<!\\{\\{)\\b(${namespaces.join("|")})\\.[A-Za-z_]+\\b`, "g")) ?? [];
  expect(keys, `untranslated keys on ${screen}`).toEqual([]);
}

async function signIn(page: Page) {
  await page.goto(`${server.url}/login`);
  await page.getByText("EN", { exact: true }).click();
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // On a phone the name sits in the header's menu: present, not shown.
  await page.getByTestId("current-user").waitFor({ state: "attached" });
}

describe("English everywhere", () => {
  it("shows no Chinese and no raw keys on the main screens", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByText("EN", { exact: true }).click();
    await expectAllEnglish(page, "sign-in");
    await page.goto(`${server.url}/portal`);
    await expectAllEnglish(page, "portal sign-in");
    await page.goto(`${server.url}/status`);
    await expectAllEnglish(page, "status page");

    await signIn(page);
    await page.locator(".ant-table-tbody tr.ant-table-row").first().waitFor();
    await expectAllEnglish(page, "ticket list");
    await page.getByRole("button", { name: "Save as view" }).click();
    await expectAllEnglish(page, "save-view dialog");
    await page.keyboard.press("Escape");

    await page.goto(`${server.url}/tickets/${ticketId}`);
    await page.getByTestId("internal-note").waitFor();
    await page.getByTestId("system-event").first().waitFor();
    await expectAllEnglish(page, "ticket page");
    await screenshot(page, "ticket-page-en");

    await page.goto(`${server.url}/tickets/new`);
    await page.getByLabel("Subject").waitFor();
    await expectAllEnglish(page, "new ticket");

    await page.keyboard.press("?");
    await page.getByTestId("shortcut-help").waitFor();
    await expectAllEnglish(page, "shortcut help");
    await page.keyboard.press("Escape");

    for (const section of [
      "staff",
      "departments",
      "categories",
      "fields",
      "sla",
      "triggers",
      "automations",
      "webhooks",
      "canned",
      "tokens",
      "notifications",
    ]) {
      await page.goto(`${server.url}/admin/${section}`);
      await page.locator(".ant-table, .ant-form").first().waitFor();
      await expectAllEnglish(page, `admin ${section}`);
    }
    // The rule editor, with a condition row and the preview, in English too.
    await page.goto(`${server.url}/admin/triggers`);
    await page.getByRole("button", { name: "Add trigger" }).click();
    await page.getByRole("button", { name: "Add condition" }).first().click();
    await page.getByTestId("rule-preview").waitFor();
    await expectAllEnglish(page, "trigger editor");
    await page.goto(`${server.url}/visits`);
    await page.getByTestId("visit-list").waitFor();
    await expectAllEnglish(page, "follow-up visits");
    await page.close();
  });
});

describe("on a 390-px-wide phone", () => {
  // Against the phone's width: a mobile browser widens its layout viewport (window.innerWidth) to fit
  // wide content, so comparing with it could never fail.
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - 390);

  it("the ticket page, the new-ticket form, the admin console, the knowledge base, the tasks and the status page never scroll sideways", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page);
    for (const [url, ready] of [
      [`/tickets/${ticketId}`, '[data-testid="composer"]'],
      ["/tickets/new", "form"],
      ["/admin/staff", ".ant-table"],
      // Rows of filter choices (全部 草稿 待审核 …) scroll inside themselves.
      ["/knowledge", ".ant-table"],
      ["/tasks", ".ant-table"],
      ["/status", "form"],
    ] as const) {
      await page.goto(`${server.url}${url}`);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await noSideways(page), url).toBeLessThanOrEqual(1);
    }
    await page.goto(`${server.url}/tickets/${ticketId}`);
    await page.locator('[data-testid="composer"]').waitFor();
    // The header is one line, and the subject stays in view on one line under it.
    expect((await page.locator("header.app-header").boundingBox())?.height).toBeLessThanOrEqual(56);
    const title = page.getByTestId("ticket-title");
    expect(await title.isVisible()).toBe(true);
    expect((await title.boundingBox())?.height).toBeLessThanOrEqual(40);
    await screenshot(page, "ticket-page-phone");
    await context.close();
  });
});
