import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wecomEncrypt, wecomSignature } from "../server/src/modules/intake/im/wecom";
import { startHttpRecorder } from "../server/test/support/http-recorder";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, screenshot, signInAsStaff } from "./browser";

const ADMIN = { email: "admin@im-e2e.test", password: "e2e-password-9" };
const WECOM = {
  corpId: "ww-e2e-corp",
  agentId: "1000005",
  token: "e2eToken",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  secret: "e2e-secret",
};
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let vendor: Awaited<ReturnType<typeof startHttpRecorder>>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-im-"));
  vendor = await startHttpRecorder((req) =>
    req.url.startsWith("/cgi-bin/gettoken")
      ? { status: 200, body: JSON.stringify({ errcode: 0, access_token: "tok" }) }
      : { status: 200, body: JSON.stringify({ errcode: 0 }) },
  );
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
  await vendor?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("IM channels in the browser", () => {
  it("an admin sets up WeCom; an employee's WeCom message becomes a ticket; the agent's reply goes back through WeCom", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, "/admin/channels");
    await page.getByRole("button", { name: "添加渠道" }).click();
    const modal = page.locator(".ant-modal:visible");
    await modal.getByLabel("名称").fill("IT 服务台");
    await modal.getByLabel("企业 ID（CorpID）").fill(WECOM.corpId);
    await modal.getByLabel("应用 AgentId").fill(WECOM.agentId);
    await modal.getByLabel("Token").fill(WECOM.token);
    await modal.getByLabel("EncodingAESKey").fill(WECOM.encodingAesKey);
    await modal.getByLabel("Secret").fill(WECOM.secret);
    await modal.getByLabel("平台 API 地址").fill(vendor.url);
    await modal.getByRole("button", { name: /保\s*存/ }).click();
    await expect
      .poll(() => page.locator(".ant-table-tbody").textContent(), { timeout: ASYNC_TIMEOUT })
      .toContain("/api/v1/channels/1/callback");
    await screenshot(page, "im-channels");

    const ts = String(Math.floor(Date.now() / 1000));
    const xml = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[wangwu]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[VPN 连不上]]></Content><MsgId>e2e-1</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
    const encrypted = wecomEncrypt(WECOM, xml);
    const res = await fetch(
      `${server.url}/api/v1/channels/1/callback?msg_signature=${wecomSignature(WECOM.token, ts, "n", encrypted)}&timestamp=${ts}&nonce=n`,
      {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
      },
    );
    const taken = await res.json();
    expect(taken.outcome).toBe("created");

    await page.goto(`${server.url}/tickets/${taken.ticketId}`);
    await expect.poll(() => page.getByTestId("ticket-title").textContent()).toContain("VPN 连不上");
    await page.getByText("回复客户", { exact: true }).click();
    await page.getByLabel("内容").fill("请重启客户端后重试");
    await page.getByRole("button", { name: "发送回复" }).click();
    await expect.poll(() => vendor.requests.filter((r) => r.url.startsWith("/cgi-bin/message/send")).length, { timeout: 15_000 }).toBe(1);
    const sent = vendor.requests.find((r) => r.url.startsWith("/cgi-bin/message/send"));
    expect(JSON.parse(sent?.body ?? "")).toMatchObject({ touser: "wangwu", text: { content: "请重启客户端后重试" } });
    const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
    expect(JSON.stringify(await (await api("/api/v1/channels")).json())).not.toContain(WECOM.secret);
    await page.close();
  });
});

describe("CRM lookup in the browser", () => {
  it("the ticket shows the customer's orders from the company's ERP; one click fills the ticket's fields", async () => {
    const erp = await startHttpRecorder(() => ({ status: 200, body: JSON.stringify([{ no: "DD2026112200077", model: "X200" }]) }));
    try {
      const api = await httpClient(server.url, ADMIN.email, ADMIN.password);
      const send = (p: string, method: string, body: unknown) => api(p, { method, body: JSON.stringify(body) });
      await send("/api/v1/custom-fields", "POST", { entity: "ticket", key: "order_no", label: "订单号", type: "text" });
      await send("/api/v1/crm/settings", "PUT", {
        enabled: true,
        urlTemplate: `${erp.url}/orders?phone={{customer.phone}}`,
        authHeaderName: "Authorization",
        authHeaderValue: "Bearer erp",
        columns: [
          { label: "订单", path: "no" },
          { label: "型号", path: "model" },
        ],
        fill: [{ field: "order_no", path: "no" }],
      });
      const call = await (
        await send("/api/v1/calls", "POST", { callId: "e2e-crm", customerNumber: "13700137000", startedAt: new Date().toISOString() })
      ).json();
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await signInAsStaff(page, server.url, ADMIN.email, ADMIN.password, `/tickets/${call.ticketId}`);
      const card = page.getByTestId("crm-card");
      await expect.poll(() => card.textContent(), { timeout: ASYNC_TIMEOUT }).toContain("DD2026112200077");
      expect(erp.requests[0]?.url).toBe("/orders?phone=13700137000");
      expect(erp.requests[0]?.headers.authorization).toBe("Bearer erp");
      await card.getByRole("button", { name: "填入字段" }).click();
      await expect
        .poll(async () => (await (await api(`/api/v1/tickets/${call.ticketId}`)).json()).customFields.order_no, { timeout: ASYNC_TIMEOUT })
        .toBe("DD2026112200077");
      await screenshot(page, "crm-card");
      await page.close();
    } finally {
      await erp.stop();
    }
  });
});
