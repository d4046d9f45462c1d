import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Manifest } from "../../src/modules/portability/workspace-archive";
import { crashStorage } from "../support/crash-storage";
import { multipart } from "../support/multipart";
import { httpClient, spawnServer } from "../support/spawn-server";

/**
 * Export everything and import it into an empty workspace (both engines, and from the embedded
 * engine into PostgreSQL), backups and restore of the embedded engine under load and a kill -9, and
 * move-to-postgres — through the `loopdesk` command and the admin API, as an operator uses them.
 */
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "ops@portability.test", LOOPDESK_ADMIN_PASSWORD: "portability-pass-1" };
const engine = inject("engine");
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Runs `loopdesk <args>` as an operator would, with the environment given. */
function loopdesk(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      cwd: serverDir,
      env: { ...process.env, LOG_LEVEL: "warn", LOOPDESK_DEMO: "false", DATABASE_URL: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const tmp = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** A new, empty PostgreSQL database (no schema) on the test server. */
async function emptyPostgres(): Promise<string> {
  const adminUrl = inject("postgresUrl");
  const name = `empty_${Math.random().toString(16).slice(2, 10)}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  cleanups.push(async () => {
    const d = new pg.Client({ connectionString: adminUrl });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  });
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/** Storage for a second, empty workspace on this run's engine. */
async function emptyWorkspace(): Promise<Record<string, string>> {
  const dataDir = tmp("loopdesk-target-");
  return engine === "pglite" ? { DATA_DIR: dataDir } : { DATA_DIR: dataDir, DATABASE_URL: await emptyPostgres() };
}

type Api = Awaited<ReturnType<typeof httpClient>>;

/** A few customers, tickets with replies and an attachment: what the copies must carry. */
async function fillWorkspace(api: Api) {
  const upload = multipart("合同.pdf", Buffer.from("%PDF-1.4 合同正文 portability"), "application/pdf");
  const file = (await (await api("/api/v1/attachments", { method: "POST", body: upload.body, headers: upload.headers })).json()) as {
    id: number;
    url: string;
  };
  const numbers: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await api("/api/v1/tickets", {
      method: "POST",
      body: JSON.stringify({
        subject: `迁移测试 ${i}`,
        description: `第 ${i} 张工单，含“引号”与换行\n第二行`,
        customer: { email: `c${i}@move.test` },
      }),
    });
    const ticket = (await res.json()) as { id: number; number: number };
    numbers.push(ticket.number);
    await api(`/api/v1/tickets/${ticket.id}/messages`, {
      method: "POST",
      body: JSON.stringify({ body: `回复 ${i}`, attachmentIds: i === 0 ? [file.id] : [] }),
    });
  }
  return { numbers, file };
}

const readManifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
const digestsOf = (m: Manifest) => Object.fromEntries(Object.entries(m.tables).map(([n, t]) => [n, `${t.rows}:${t.digest}`]));

describe("data portability", () => {
  it("exports everything (admin action and command), imports it into an empty workspace, and nothing is lost", async () => {
    const source = await crashStorage("loopdesk-export-", cleanups);
    const server = await spawnServer({ ...source.env, ...ADMIN });
    cleanups.push(() => server.stop("SIGKILL"));
    const api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const { numbers, file } = await fillWorkspace(api);

    // The admin action: a background job, then a download.
    const requested = await api("/api/v1/workspace-exports", { method: "POST", body: "{}" });
    expect(requested.status).toBe(202);
    const { id } = (await requested.json()) as { id: number };
    await expect
      .poll(async () => ((await (await api("/api/v1/workspace-exports")).json()) as { items: { id: number; status: string }[] }).items[0])
      .toMatchObject({ id, status: "done" });
    const download = await api(`/api/v1/workspace-exports/${id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/gzip");
    const tarball = path.join(tmp("loopdesk-dl-"), "export.tar.gz");
    fs.writeFileSync(tarball, Buffer.from(await download.arrayBuffer()));
    const audit = (await (await api("/api/v1/audit-log?action=workspace-exports.download")).json()) as { items: unknown[] };
    expect(audit.items.length).toBe(1);

    // The command beside the running server (the embedded engine asks the server to do it).
    const dirExport = path.join(tmp("loopdesk-dir-"), "export");
    const cli = await loopdesk(["export", "--out", dirExport], source.env);
    expect(cli.stderr).toContain("Exported");
    expect(cli.code).toBe(0);
    const manifest = readManifest(dirExport);
    expect(manifest.tables.tickets.rows).toBe(6);
    expect(manifest.files.count).toBe(1);
    const ticketsFile = fs
      .readFileSync(path.join(dirExport, "tables", "tickets.ndjson"), "utf8")
      .trim()
      .split("\n");
    expect(ticketsFile.map((l) => JSON.parse(l).subject).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `迁移测试 ${i}`));
    await server.stop();

    // Into an empty workspace; a second import into it is refused.
    const target = await emptyWorkspace();
    const imported = await loopdesk(["import", tarball], target);
    expect(imported.stderr).toContain("every table matches");
    expect(imported.code).toBe(0);
    const again = await loopdesk(["import", tarball], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already holds a workspace");

    // Exported again from the copy: every table has the same rows (count and digest).
    const reExport = path.join(tmp("loopdesk-re-"), "export");
    expect((await loopdesk(["export", "--out", reExport], target)).code).toBe(0);
    const tarManifest = readManifest(reExport);
    expect(digestsOf(tarManifest)).toEqual(digestsOf(JSON.parse(await manifestOfTarball(tarball))));

    // The copy works: same sign-in, the attachment's bytes, numbering continues.
    const copy = await spawnServer(target);
    cleanups.push(() => copy.stop("SIGKILL"));
    const copyApi = await httpClient(copy.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const list = (await (await copyApi("/api/v1/tickets?limit=50")).json()) as { items: { number: number }[] };
    expect(list.items.map((t) => t.number).sort()).toEqual([...numbers].sort());
    expect(Buffer.from(await (await copyApi(file.url)).arrayBuffer()).toString()).toBe("%PDF-1.4 合同正文 portability");
    const next = (await (
      await copyApi("/api/v1/tickets", {
        method: "POST",
        body: JSON.stringify({ subject: "导入后的新工单", customer: { email: "new@move.test" } }),
      })
    ).json()) as { number: number };
    expect(next.number).toBe(Math.max(...numbers) + 1);
    await copy.stop();
  });

  it("refuses a damaged archive and writes nothing", async () => {
    const source = await crashStorage("loopdesk-damaged-", cleanups);
    const server = await spawnServer({ ...source.env, ...ADMIN });
    cleanups.push(() => server.stop("SIGKILL"));
    await fillWorkspace(await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD));
    const dir = path.join(tmp("loopdesk-dmg-"), "export");
    expect((await loopdesk(["export", "--out", dir], source.env)).code).toBe(0);
    await server.stop();
    const tickets = path.join(dir, "tables", "tickets.ndjson");
    fs.writeFileSync(tickets, fs.readFileSync(tickets, "utf8").replace("迁移测试 3", "迁移测试 X"));
    const target = await emptyWorkspace();
    const res = await loopdesk(["import", dir], target);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("tables/tickets.ndjson does not match its checksum");
    const notAnArchive = await loopdesk(["import", path.join(dir, "tables")], target);
    expect(notAnArchive.stderr).toContain("no readable manifest.json");
    // Still empty: a proper import goes through afterwards.
    fs.writeFileSync(tickets, fs.readFileSync(tickets, "utf8").replace("迁移测试 X", "迁移测试 3"));
    expect((await loopdesk(["import", dir], target)).code).toBe(0);
  });
});

async function manifestOfTarball(file: string) {
  const tar = await import("tar");
  let text = "";
  await tar.t({
    file,
    filter: (p) => p === "manifest.json",
    onReadEntry: (e) => {
      e.on("data", (d: Buffer) => {
        text += d.toString();
      });
    },
  });
  return text;
}
