import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Manifest } from "../../src/modules/portability/workspace-archive";
import { crashStorage } from "../support/crash-storage";
import { multipart } from "../support/multipart";
import { buildCompiled, httpClient, spawnServer } from "../support/spawn-server";

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
// The commands below run the compiled server: built (when stale) once for the file, not before each command.
beforeAll(() => buildCompiled());

/**
 * Runs `loopdesk <args>` as an operator would (server/bin/loopdesk.mjs on the compiled server, as
 * `npm start` leaves it), with the environment given.
 */
function loopdesk(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(serverDir, "bin", "loopdesk.mjs"), args, {
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

/** Whether anything was written into the workspace's database: an embedded one exists, or PostgreSQL holds tables. */
async function holdsDatabase(workspace: Record<string, string>) {
  if (!workspace.DATABASE_URL) return fs.existsSync(path.join(workspace.DATA_DIR as string, "pg"));
  const c = new pg.Client({ connectionString: workspace.DATABASE_URL });
  await c.connect();
  const { rows } = await c.query("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
  await c.end();
  return rows[0].n > 0;
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

/** The first test's directory export, which the damaged-archive test alters a copy of. */
let exportedDir = "";
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
    exportedDir = dirExport;
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
    expect(exportedDir).not.toBe("");
    const dir = path.join(tmp("loopdesk-dmg-"), "export");
    fs.cpSync(exportedDir, dir, { recursive: true });
    const tickets = path.join(dir, "tables", "tickets.ndjson");
    fs.writeFileSync(tickets, fs.readFileSync(tickets, "utf8").replace("迁移测试 3", "迁移测试 X"));
    const target = await emptyWorkspace();
    const res = await loopdesk(["import", dir], target);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("tables/tickets.ndjson does not match its checksum");
    const notAnArchive = await loopdesk(["import", path.join(dir, "tables")], target);
    expect(notAnArchive.stderr).toContain("no readable manifest.json");
    // The archive is checked before the target is opened: no database was created there.
    expect(await holdsDatabase(target)).toBe(false);
    // Still empty: a proper import goes through afterwards.
    fs.writeFileSync(tickets, fs.readFileSync(tickets, "utf8").replace("迁移测试 X", "迁移测试 3"));
    expect((await loopdesk(["import", dir], target)).code).toBe(0);
    expect(await holdsDatabase(target)).toBe(true);
  });

  it.runIf(engine === "pglite")(
    "backs up while serving under write load; a kill -9 mid-backup leaves the earlier backups usable; restore brings one back",
    async () => {
      const source = await crashStorage("loopdesk-backup-", cleanups);
      const backups = tmp("loopdesk-backups-");
      const env = { ...source.env, LOOPDESK_BACKUP_DIR: backups, LOOPDESK_BACKUP_KEEP: "3" };
      let server = await spawnServer({ ...env, ...ADMIN });
      cleanups.push(() => server.stop("SIGKILL"));
      const api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
      const acknowledged: number[] = [];
      let writing = true;
      const writer = async (w: number) => {
        for (let i = 0; writing; i++) {
          const res = await api("/api/v1/tickets", {
            method: "POST",
            body: JSON.stringify({ subject: `备份期间 ${w}-${i}`, description: "写入负载", customer: { email: `w${w}@backup.test` } }),
          }).catch(() => undefined);
          if (res?.status === 201) acknowledged.push(((await res.json()) as { id: number }).id);
        }
      };
      const writers = [writer(1), writer(2), writer(3)];
      await expect.poll(() => acknowledged.length).toBeGreaterThan(10);
      const before = [...acknowledged];
      const first = await loopdesk(["backup"], env);
      expect(first.stderr).toContain("written by the running server");
      expect(first.code).toBe(0);
      const second = await api("/api/v1/backups", { method: "POST", body: "{}" });
      expect(second.status).toBe(201);
      writing = false;
      await Promise.all(writers);
      const listed = (await (await api("/api/v1/backups")).json()) as { supported: boolean; items: { name: string }[] };
      expect(listed.supported).toBe(true);
      expect(listed.items).toHaveLength(2);
      // Restore refuses while the server runs.
      const busy = await loopdesk(["restore", path.join(backups, listed.items[0].name)], env);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain("Another Loopdesk process");

      // kill -9 while a backup is being written.
      void api("/api/v1/backups", { method: "POST", body: "{}" }).catch(() => {});
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 150));
      await server.stop("SIGKILL");
      const complete = fs.readdirSync(backups).filter((n) => !n.startsWith("."));
      expect(complete.length).toBeGreaterThanOrEqual(2);
      for (const name of complete) expect(fs.existsSync(path.join(backups, name, "backup.json"))).toBe(true);

      // The first backup restored: every ticket acknowledged before it is there, and each is whole.
      const restored = await loopdesk(["restore", path.join(backups, listed.items[1].name)], env);
      expect(restored.stderr).toContain("Restored backup");
      expect(restored.code).toBe(0);
      const db = await source.open();
      const ids = (await db.db.selectFrom("tickets").select("id").execute()).map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining(before));
      const broken = await db.db
        .selectFrom("tickets as t")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where((e) => e.not(e.exists(e.selectFrom("ticket_events as ev").select("ev.id").whereRef("ev.ticket_id", "=", "t.id"))))
        .executeTakeFirstOrThrow();
      expect(Number(broken.n)).toBe(0);
      await db.close();
      server = await spawnServer({ ...env, ...ADMIN });
      const after = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
      expect((await after(`/api/v1/tickets/${before[0]}`)).status).toBe(200);
      expect((await after(`/api/v1/tickets/${Math.max(...ids) + 1}`)).status).toBe(404);
      await server.stop();
    },
  );

  it.runIf(engine === "postgres")("backups on PostgreSQL are refused with the pg_dump recipe", async () => {
    const source = await crashStorage("loopdesk-pgbackup-", cleanups);
    const server = await spawnServer({ ...source.env, ...ADMIN });
    cleanups.push(() => server.stop("SIGKILL"));
    const api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const res = await api("/api/v1/backups", { method: "POST", body: "{}" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("backup_not_supported");
    expect(((await (await api("/api/v1/backups")).json()) as { supported: boolean }).supported).toBe(false);
    const cli = await loopdesk(["backup"], source.env);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("pg_dump");
    await server.stop();
  });

  it.runIf(engine === "postgres")(
    "moves an embedded workspace to PostgreSQL: counts and checksums match, numbering continues, attachments stay",
    async () => {
      const dataDir = tmp("loopdesk-move-");
      const embedded = { DATA_DIR: dataDir };
      const server = await spawnServer({ ...embedded, ...ADMIN });
      cleanups.push(() => server.stop("SIGKILL"));
      const { numbers, file } = await fillWorkspace(
        await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD),
      );
      const to = await emptyPostgres();
      const running = await loopdesk(["move-to-postgres", "--to", to], embedded);
      expect(running.code).toBe(1);
      expect(running.stderr).toContain("Another Loopdesk process");
      await server.stop();

      // The embedded export imports into PostgreSQL with identical rows (the engines write the same text).
      const exported = path.join(tmp("loopdesk-x-"), "export");
      expect((await loopdesk(["export", "--out", exported], embedded)).code).toBe(0);
      const crossTarget = await emptyWorkspace();
      expect((await loopdesk(["import", exported], crossTarget)).code).toBe(0);
      const crossAgain = path.join(tmp("loopdesk-x2-"), "export");
      expect((await loopdesk(["export", "--out", crossAgain], crossTarget)).code).toBe(0);
      expect(digestsOf(readManifest(crossAgain))).toEqual(digestsOf(readManifest(exported)));

      const moved = await loopdesk(["move-to-postgres", "--to", to], embedded);
      expect(moved.stderr).toContain("counts and checksums match");
      expect(moved.stdout.trim()).toBe(`DATABASE_URL=${to}`);
      expect(moved.code).toBe(0);
      const twice = await loopdesk(["move-to-postgres", "--to", to], embedded);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain("already holds a workspace");

      const onPostgres = await spawnServer({ ...embedded, DATABASE_URL: to });
      cleanups.push(() => onPostgres.stop("SIGKILL"));
      expect(await (await fetch(`${onPostgres.url}/healthz`)).json()).toMatchObject({ engine: "postgres" });
      const api = await httpClient(onPostgres.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
      const list = (await (await api("/api/v1/tickets?limit=50")).json()) as { items: { number: number }[] };
      expect(list.items.map((t) => t.number).sort()).toEqual([...numbers].sort());
      expect(Buffer.from(await (await api(file.url)).arrayBuffer()).toString()).toBe("%PDF-1.4 合同正文 portability");
      const next = (await (
        await api("/api/v1/tickets", {
          method: "POST",
          body: JSON.stringify({ subject: "搬家后", customer: { email: "after@move.test" } }),
        })
      ).json()) as { number: number };
      expect(next.number).toBe(Math.max(...numbers) + 1);
      await onPostgres.stop();
    },
  );
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
