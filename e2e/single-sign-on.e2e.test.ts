import fs from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import Provider from "oidc-provider";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../server/test/support/postgres-server";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { launchBrowser, screenshot } from "./browser";
import { expectCleanPage, watchErrors } from "./page-checks";

/**
 * Signing in with an OpenID Connect provider in the browser: a real provider (panva's
 * oidc-provider, the certified implementation) runs on loopback with its development login and
 * consent pages; Loopdesk discovers it, sends the browser there and back, and creates the agent.
 */
const ADMIN = { email: "admin@sso-e2e.test", password: "e2e-password-7" };
const ACCOUNTS: Record<string, { email: string; name: string; groups: string[] }> = {
  lina: { email: "lina@corp.test", name: "李娜", groups: ["support-agents"] },
  guest: { email: "guest@corp.test", name: "访客", groups: ["visitors"] },
};
let server: RunningServer;
let idp: Server;
let browser: Browser;
let dataDir: string;
let api: Awaited<ReturnType<typeof httpClient>>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-sso-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const idpPort = await freePort();
  const provider = new Provider(`http://127.0.0.1:${idpPort}`, {
    clients: [
      {
        client_id: "loopdesk",
        client_secret: "loopdesk-oidc-secret",
        redirect_uris: [`${base}/api/v1/auth/oidc/callback`],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    async findAccount(_ctx, id) {
      const account = ACCOUNTS[id];
      return account
        ? {
            accountId: id,
            claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, groups: account.groups }),
          }
        : undefined;
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["e2e-cookie-key"] },
    pkce: { required: () => true },
  });
  idp = provider.listen(idpPort, "127.0.0.1");
  server = await spawnServer(
    { DATA_DIR: dataDir, LOOPDESK_ADMIN_EMAIL: ADMIN.email, LOOPDESK_ADMIN_PASSWORD: ADMIN.password, LOOPDESK_PUBLIC_URL: base },
    { port },
  );
  browser = await launchBrowser();
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  const department = await (await api("/api/v1/departments", { method: "POST", body: JSON.stringify({ name: "售后支持" }) })).json();
  const saved = await api("/api/v1/sso/settings", {
    method: "PATCH",
    body: JSON.stringify({
      oidc: {
        enabled: true,
        name: "企业身份平台",
        issuer: `http://127.0.0.1:${idpPort}`,
        clientId: "loopdesk",
        clientSecret: "loopdesk-oidc-secret",
        scopes: "openid email profile groups",
      },
      groupMappings: [{ group: "support-agents", role: "agent", departmentIds: [department.id] }],
      jit: true,
      defaultRole: null,
    }),
  });
  expect(saved.status, await saved.clone().text()).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  idp?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The provider's development login and consent pages. */
async function atProvider(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]', { hasText: /continue/i }).click();
}

describe("OpenID Connect sign-in in the browser", () => {
  it("an agent signs in with the company's identity provider and lands in her queue; her account was made from her group", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page, "agent");
    await page.goto(`${server.url}/login`);
    await page.getByTestId("sso-button").click();
    await atProvider(page, "lina");
    await page.waitForURL(`${server.url}/**`);
    await page.getByText("李娜").first().waitFor();
    await expectCleanPage(page, "queue after SSO");
    await screenshot(page, "sso-signed-in");
    const staff = (await (await api("/api/v1/staff")).json()).items.find((s: { email: string }) => s.email === "lina@corp.test");
    expect(staff).toMatchObject({ name: "李娜", role: "agent" });
    const logins = (await (await api("/api/v1/audit-log?action=auth.login&q=lina@corp.test")).json()).items;
    expect(logins[0].detail.method).toBe("oidc");
    expect(errors.filter((e) => e.includes(server.url))).toEqual([]);
  });

  it("someone in no mapped group is sent back to the sign-in page with the reason", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId("sso-button").click();
    await atProvider(page, "guest");
    await page.waitForURL(/\/login\?sso_error=/);
    await expect.poll(() => page.getByTestId("login-error").textContent()).toContain("单点登录未成功");
    const staff = (await (await api("/api/v1/staff")).json()).items.map((s: { email: string }) => s.email);
    expect(staff).not.toContain("guest@corp.test");
  });
});
