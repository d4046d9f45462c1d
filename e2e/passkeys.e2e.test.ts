import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../server/test/support/postgres-server";
import { type RunningServer, spawnServer } from "../server/test/support/spawn-server";
import { launchBrowser, screenshot, signInAsStaff } from "./browser";

/**
 * Passkeys (WebAuthn) in the browser: Chromium's virtual authenticator (DevTools protocol) plays
 * the security key. WebAuthn needs a host name, not an IP address: the page is http://localhost.
 */
const ADMIN = { email: "admin@passkey-e2e.test", password: "e2e-password-9" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let base: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-passkey-"));
  const port = await freePort();
  base = `http://localhost:${port}`;
  server = await spawnServer(
    { DATA_DIR: dataDir, LOOPDESK_ADMIN_EMAIL: ADMIN.email, LOOPDESK_ADMIN_PASSWORD: ADMIN.password, LOOPDESK_PUBLIC_URL: base },
    { port },
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("passkeys as the second factor", () => {
  it("an admin registers a passkey on her security page, and signs in with password and passkey", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await signInAsStaff(page, base, ADMIN.email, ADMIN.password, "/admin/security");
    await page.getByLabel("名称", { exact: true }).fill("办公室电脑");
    await page.getByTestId("add-passkey").click();
    await page.getByText("通行密钥已添加").waitFor();
    await expect.poll(() => page.locator(".ant-list").first().textContent()).toContain("办公室电脑");
    await screenshot(page, "passkeys");

    await page.getByRole("button", { name: "退出登录" }).click();
    await page.goto(`${base}/login`);
    await page.getByLabel("邮箱").fill(ADMIN.email);
    await page.getByLabel("密码").fill(ADMIN.password);
    await page.getByRole("button", { name: /登\s*录/ }).click();
    await page.getByTestId("use-passkey").click();
    await page.getByTestId("current-user").waitFor();

    // A password alone no longer signs this person in: it answers the second step's challenge.
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect((await login.json()).twoFactor.methods).toEqual(["passkey", "recovery_code"]);
    const status = await page.evaluate(async () => (await fetch("/api/v1/me/two-factor")).json());
    expect(status).toMatchObject({ totp: false, passkeys: 1 });
    const passkeys = await page.evaluate(async () => (await fetch("/api/v1/me/passkeys")).json());
    expect(passkeys.items[0]).toMatchObject({ name: "办公室电脑" });
    expect(passkeys.items[0].lastUsedAt).not.toBeNull();
    const audit = await page.evaluate(async () => (await fetch("/api/v1/audit-log?action=auth.login")).json());
    expect(audit.items[0].detail.method).toBe("password+passkey");
    await context.close();
  });
});
