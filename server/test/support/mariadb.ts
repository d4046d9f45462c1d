import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./postgres-server";
import { waitForPort } from "./wait-for-port";

/**
 * A throwaway MariaDB server (Debian's `mariadb-server`) for the test run: a data directory made
 * by mariadb-install-db in a temp directory, TCP on a free loopback port, root over its socket.
 * Run as root (CI), the server drops to the `mysql` user, which then owns the directory.
 */
export type MariaDb = { host: string; port: number; socket: string; sql: (statements: string) => void; stop: () => void };

const MARIADBD = "/usr/sbin/mariadbd";
const CLIENT = ["/usr/bin/mariadb", "/usr/bin/mysql"].find((p) => fs.existsSync(p)) as string;

export async function startMariaDb(): Promise<MariaDb> {
  if (!fs.existsSync(MARIADBD)) throw new Error("mariadbd not found: install the Debian 'mariadb-server' package");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-mariadb-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync("chown", ["mysql", dir]);
  const user = asRoot ? ["--user=mysql"] : [];
  const install = spawnSync(
    "mariadb-install-db",
    ["--no-defaults", `--datadir=${dir}/data`, ...user, "--auth-root-authentication-method=normal", "--skip-test-db"],
    { encoding: "utf8", cwd: dir },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const port = await freePort();
  const socket = path.join(dir, "mysqld.sock");
  const child: ChildProcess = spawn(
    MARIADBD,
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      `--socket=${socket}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      ...user,
      `--pid-file=${dir}/mariadbd.pid`,
      `--log-error=${dir}/error.log`,
      "--skip-log-bin",
      "--innodb-buffer-pool-size=32M",
      "--character-set-server=utf8mb4",
    ],
    { stdio: "ignore" },
  );
  if (!(await waitForPort(port, child, 30_000))) {
    child.kill("SIGKILL");
    const log = fs.existsSync(`${dir}/error.log`) ? fs.readFileSync(`${dir}/error.log`, "utf8") : "";
    throw new Error(`mariadbd did not start: ${log.slice(-2000)}`);
  }
  return {
    host: "127.0.0.1",
    port,
    socket,
    /** Runs statements as root (the harness's own set-up; the code under test connects as a user it is given). */
    sql: (statements: string) => {
      const r = spawnSync(CLIENT, [`--socket=${socket}`, "-uroot", "--default-character-set=utf8mb4"], {
        input: statements,
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`mariadb: ${r.stderr}`);
    },
    stop: () => {
      child.kill("SIGTERM");
      setTimeout(() => fs.rmSync(dir, { recursive: true, force: true }), 2000).unref();
    },
  };
}
