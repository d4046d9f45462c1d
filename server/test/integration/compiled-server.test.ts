import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { type RunningServer, httpClient, spawnServer, startNodeArgs } from "../support/spawn-server";

/**
 * The server as `npm start` runs it: compiled JavaScript (server/dist), no TypeScript loader. The
 * heavy dependencies it loads only when used (spreadsheets, mail parsing, the word dictionary) must
 * still be found from there.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "compiled@test.local", LOOPDESK_ADMIN_PASSWORD: "compiled-test-pass" };
const running: RunningServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("the compiled server", () => {
  it("starts from server/dist and serves tickets, search, spreadsheets and the web app", async () => {
    if (inject("engine") !== "pglite") return; // one engine is enough: nothing here depends on it
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-compiled-"));
    dirs.push(dataDir);
    const server = await spawnServer({ ...ADMIN, DATA_DIR: dataDir }, { compiled: true });
    running.push(server);
    const api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const created = await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({ subject: "编译版本 打印机卡纸", description: "型号 M1136", customer: { email: "compiled@example.cn" } }),
    });
    expect(created.status).toBe(201);
    const ticket = (await created.json()) as { id: number };
    // Segmenting the text loaded the dictionary on first use.
    const found = (await (await api(`/api/v1/tickets?q=${encodeURIComponent("卡纸")}`)).json()) as { items: { id: number }[] };
    expect(found.items.map((t) => t.id)).toEqual([ticket.id]);
    // An Excel export loads exceljs on first use.
    const xlsx = await api("/api/v1/tickets/export?format=xlsx");
    expect(xlsx.status).toBe(200);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(server.output()).not.toMatch(/Error|ERR_/);
  }, 120_000);

  it("runs as the loopdesk command with the Node flags npm start gives it", async () => {
    if (inject("engine") !== "pglite") return;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bin-"));
    dirs.push(dataDir);
    const server = await spawnServer({ ...ADMIN, DATA_DIR: dataDir }, { bin: true });
    running.push(server);
    // The flags hold an idle server's memory down (docs/scaling.md); without them in the command's
    // first line, `loopdesk start` would run with V8's defaults.
    const flags = startNodeArgs();
    expect(flags).toContain("--max-semi-space-size=4");
    const cmdline = fs.readFileSync(`/proc/${server.child.pid}/cmdline`, "utf8").split("\0");
    expect(cmdline[0]).toMatch(/node$/);
    for (const flag of flags) expect(cmdline).toContain(flag);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
