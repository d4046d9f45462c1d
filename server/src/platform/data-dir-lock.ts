import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The embedded database is one process's: two processes opening the same directory would corrupt
 * it. Every command that opens it first claims DATA_DIR/loopdesk.lock (mode 0600). The server
 * writes its port and a control token there, so `loopdesk backup` and `loopdesk export` can ask the
 * running server to do the work instead of opening the database themselves.
 */
export type LockHolder = { pid: number; command: string; port?: number; token: string; startedAt: string };

const lockFile = (dataDir: string) => path.join(dataDir, "loopdesk.lock");

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live process holding the data directory, if any (a lock left by a killed process is not). */
export function lockHolder(dataDir: string, opts: { includeSelf?: boolean } = {}): LockHolder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(lockFile(dataDir), "utf8")) as LockHolder;
    if (holder.pid === process.pid) return opts.includeSelf ? holder : undefined;
    return alive(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

export class DataDirBusyError extends Error {
  constructor(readonly holder: LockHolder) {
    super(`Another Loopdesk process (pid ${holder.pid}, "${holder.command}") is using this DATA_DIR's embedded database; stop it first.`);
  }
}

export type DataDirLock = { holder: LockHolder; setPort: (port: number) => void; release: () => void };

export function claimDataDir(dataDir: string, command: string): DataDirLock {
  const existing = lockHolder(dataDir);
  if (existing) throw new DataDirBusyError(existing);
  fs.mkdirSync(dataDir, { recursive: true });
  const holder: LockHolder = { pid: process.pid, command, token: randomBytes(24).toString("hex"), startedAt: new Date().toISOString() };
  const write = () => {
    const tmp = `${lockFile(dataDir)}.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
    fs.renameSync(tmp, lockFile(dataDir));
  };
  write();
  const release = () => {
    if (lockHolder(dataDir, { includeSelf: true })?.pid === process.pid) fs.rmSync(lockFile(dataDir), { force: true });
  };
  process.once("exit", release);
  return {
    holder,
    setPort: (port) => {
      holder.port = port;
      write();
    },
    release,
  };
}
