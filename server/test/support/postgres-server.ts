import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A throwaway PostgreSQL server for the test run: initdb in a temp directory, started on a free
 * loopback port. PostgreSQL refuses to run as root, so as root the binaries run as `postgres`.
 */
export type PostgresServer = {
  /** TCP on 127.0.0.1. */
  url: (db: string) => string;
  /** The same server over its Unix-domain socket (how a database on the same machine is usually reached). */
  socketUrl: (db: string) => string;
  stop: () => void;
  port: number;
};

function binDir(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return fromEnv;
  const base = "/usr/lib/postgresql";
  if (fs.existsSync(base)) {
    const versions = fs
      .readdirSync(base)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (fs.existsSync(path.join(base, v, "bin", "initdb"))) return path.join(base, v, "bin");
  }
  throw new Error("PostgreSQL binaries not found: install the Debian 'postgresql' package or set PG_BIN");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const isRoot = () => process.getuid?.() === 0;

function run(bin: string, args: string[], opts: { allowFail?: boolean } = {}) {
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const res = spawnSync(cmd, argv, { encoding: "utf8" });
  if (res.status !== 0 && !opts.allowFail) throw new Error(`${path.basename(bin)} failed: ${res.stderr || res.stdout}`);
  return res;
}

export async function startPostgres(
  /** settings: extra server settings (e.g. shared_preload_libraries for a profiling run). */
  opts: { durable?: boolean; settings?: Record<string, string> } = {},
): Promise<PostgresServer> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-pg-"));
  if (isRoot()) execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  const port = await freePort();
  run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  // Tests favour speed over crash safety of the throwaway server (durability tests kill our
  // process, not PostgreSQL); benchmarks ask for PostgreSQL's default, durable settings.
  const relaxed = opts.durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  const extra = Object.entries(opts.settings ?? {})
    .map(([k, v]) => ` -c ${k}=${v}`)
    .join("");
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB${relaxed}${extra}`;
  run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-o", options, "-w", "start"]);
  return {
    port,
    url: (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    socketUrl: (db: string) => `postgres://postgres@/${db}?host=${encodeURIComponent(dir)}&port=${port}`,
    stop: () => {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], { allowFail: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
