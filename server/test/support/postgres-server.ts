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
  /** The data directory (a standby is copied from it). */
  dataDir: string;
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

/** Ports this process has handed out: the kernel may give a just-released port again. */
const handedOut = new Set<number>();

/**
 * A loopback port nothing listens on, never one this process handed out before: two calls in a
 * row once returned the same just-released port in CI (a mail e2e's SMTP and HTTP listeners, EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
      srv.on("error", reject);
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
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
  return serverAt(bin, dir, data, port);
}

function serverAt(bin: string, dir: string, data: string, port: number): PostgresServer {
  return {
    port,
    dataDir: data,
    url: (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    socketUrl: (db: string) => `postgres://postgres@/${db}?host=${encodeURIComponent(dir)}&port=${port}`,
    stop: () => {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], { allowFail: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A hot standby of a running server: a base backup streamed from it (`pg_basebackup -R` writes
 * the replication settings) and started read-only on its own port, replaying the primary's WAL.
 */
export async function startStandby(primary: PostgresServer): Promise<PostgresServer> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-pg-standby-"));
  if (isRoot()) execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  const port = await freePort();
  run(path.join(bin, "pg_basebackup"), [
    "-D",
    data,
    "-h",
    "127.0.0.1",
    "-p",
    String(primary.port),
    "-U",
    "postgres",
    "-X",
    "stream",
    "-R",
    "-c",
    "fast",
  ]);
  // A standby needs at least the primary's max_connections.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c hot_standby=on -c fsync=off`;
  run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-o", options, "-w", "start"]);
  return serverAt(bin, dir, data, port);
}

export type PgBouncer = { url: (db: string) => string; stop: () => void };

/**
 * Debian's PgBouncer in front of a server, in transaction pooling mode (a server connection per
 * transaction, shared by many clients), with few server connections so that they are shared.
 */
export async function startPgBouncer(server: PostgresServer, opts: { poolSize?: number } = {}): Promise<PgBouncer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-pgbouncer-"));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, "users.txt"), '"postgres" ""\n');
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=127.0.0.1 port=${server.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 1000",
      `default_pool_size = ${opts.poolSize ?? 5}`,
      "ignore_startup_parameters = extra_float_digits,options",
      `logfile = ${path.join(dir, "log")}`,
      `pidfile = ${path.join(dir, "pid")}`,
      "",
    ].join("\n"),
  );
  if (isRoot()) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  run(process.env.PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer", ["-d", path.join(dir, "pgbouncer.ini")]);
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error(`pgbouncer did not start: ${fs.readFileSync(path.join(dir, "log"), "utf8")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    stop: () => {
      const pid = Number(fs.readFileSync(path.join(dir, "pid"), "utf8"));
      try {
        process.kill(pid, "SIGTERM");
      } catch {}
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
