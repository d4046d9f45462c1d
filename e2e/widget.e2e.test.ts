import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, screenshot } from "./browser";

const ADMIN = { email: "admin@widget-e2e.test", password: "e2e-password-8" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let host: http.Server;
let hostUrl: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-widget-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  // A customer's own website on another origin, embedding the widget with one script tag.
  host = http.createServer((_req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(
      `<!doctype html><html><body><h1>示例商城</h1><script src="${server.url}/widget.js" data-lang="zh-CN" async></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => host?.close(() => resolve()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("web widget embedded in another site", () => {
  it("a visitor opens a request from the widget, sees the agent's reply and answers", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(hostUrl);
    await page.locator("[data-loopdesk-widget=button]").click();
    const widget = page.frameLocator("[data-loopdesk-widget=frame]");
    await widget.getByTestId("widget-form").waitFor();
    await widget.getByLabel("您的称呼").fill("访客小陈");
    await widget.getByLabel("邮箱").fill("chen@visitor.example");
    await widget.getByLabel("主题").fill("无法下单");
    await widget.getByLabel("问题描述").fill("点击支付没有反应");
    await page.waitForTimeout(3100); // people take a few seconds; instant posts are treated as bots
    await widget.getByRole("button", { name: /提\s*交/ }).click();
    await widget.getByTestId("widget-conversation").waitFor();
    const text = (await widget.getByTestId("widget-conversation").textContent()) ?? "";
    const number = Number(/#(\d+)/.exec(text)?.[1]);
    expect(number).toBeGreaterThan(10000);
    await screenshot(page, "widget-submitted");

    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    const list = await (await api("/api/v1/tickets?sort=-created_at&limit=1")).json();
    expect(list.items[0]).toMatchObject({ number, channel: "widget", subject: "无法下单" });
    await api(`/api/v1/tickets/${list.items[0].id}/messages`, {
      method: "POST",
      body: JSON.stringify({ body: "请换个浏览器试试", visibility: "public" }),
    });
    // The open conversation refreshes by itself (every 10 s).
    await expect.poll(() => widget.getByTestId("widget-conversation").textContent(), { timeout: 20_000 }).toContain("请换个浏览器试试");
    await widget.getByLabel("发送").fill("换了，可以了，谢谢");
    await widget.getByRole("button", { name: /发\s*送/ }).click();
    await expect
      .poll(async () => (await (await api(`/api/v1/tickets/${list.items[0].id}/messages`)).json()).items.length, { timeout: ASYNC_TIMEOUT })
      .toBe(2);
    await screenshot(page, "widget-conversation");

    // Solved: the widget asks for a rating, and the answer reaches the agent's ticket.
    await api(`/api/v1/tickets/${list.items[0].id}/messages`, {
      method: "POST",
      body: JSON.stringify({ body: "问题已解决", visibility: "public", status: "solved" }),
    });
    await expect.poll(() => widget.getByTestId("rating-form").count(), { timeout: ASYNC_TIMEOUT }).toBe(1);
    expect(await widget.getByTestId("widget-conversation").textContent()).toContain("问题已解决，请为这次服务打分");
    await widget.getByRole("button", { name: /^满\s*意$/ }).click();
    await widget.getByLabel("补充说明（可选）").fill("回复很及时");
    await widget.getByRole("button", { name: "提交评价" }).click();
    await widget.getByTestId("widget-rated").waitFor();
    expect(await widget.getByTestId("widget-rated").textContent()).toContain("您的评价：5 星");
    const csat = await (await api(`/api/v1/tickets/${list.items[0].id}/csat`)).json();
    expect(csat.answer).toMatchObject({ rating: 5, comment: "回复很及时", answeredVia: "widget" });
    await screenshot(page, "widget-rated");
    // Also where the browser denies storage to embedded pages, the widget starts and works.
    expect(errors).toEqual([]);
    await page.close();
  });
});
