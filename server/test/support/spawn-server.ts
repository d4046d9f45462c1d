import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./postgres-server";

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * An embedded database with every migration applied, made once per set of migrations and copied
 * into a fresh DATA_DIR before a server starts on it: a first start then skips initdb and the
 * migrations (about 8 s each time), and does everything else a first start does.
 */
function migratedTemplate(): string {
  const migrations = path.join(serverDir, "src/db/migrations");
  const hash = createHash("sha256");
  for (const f of fs.readdirSync(migrations).sort()) hash.update(f).update(fs.readFileSync(path.join(migrations, f)));
  const dir = path.join(os.tmpdir(), `loopdesk-migrated-${hash.digest("hex").slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, "pg"))) return dir;
  const building = fs.mkdtempSync(`${dir}.building-`);
  const made = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts", "migrate"], {
    cwd: serverDir,
    env: { ...process.env, DATA_DIR: building, LOG_LEVEL: "warn", DATABASE_URL: "" },
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`migrating the template failed: ${made.stderr}`);
  try {
    fs.renameSync(building, dir); // another process may have made it meanwhile: theirs is as good
  } catch {
    fs.rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

function seedDataDir(env: Record<string, string>) {
  const dataDir = env.DATA_DIR;
  if (!dataDir || env.DATABASE_URL || fs.existsSync(path.join(dataDir, "pg"))) return;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(path.join(migratedTemplate(), "pg"), path.join(dataDir, "pg"), { recursive: true });
}

/**
 * The Node flags `npm start` gives the compiled server (from the root package.json's start script,
 * so tests and benchmarks run it exactly as users do).
 */
export function startNodeArgs(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(serverDir, "..", "package.json"), "utf8")) as { scripts: { start: string } };
  const command = pkg.scripts.start.split("&&").at(-1)?.trim().split(/\s+/) ?? [];
  const entry = command.indexOf("server/dist/main.js");
  if (command[0] !== "node" || entry < 0) throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return command.slice(1, entry);
}

/** Compiles the server (server/scripts/build-server.mjs; nothing to do when server/dist is current). */
export function buildCompiled() {
  const built = spawnSync(process.execPath, [path.join(serverDir, "scripts", "build-server.mjs")], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`compiling the server failed: ${built.stderr}${built.stdout}`);
}

export type RunningServer = {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

const started: (() => string)[] = [];
/** What the last servers this test process started have printed (for a failed test's report). */
export const serverOutputs = () => started.slice(-3).map((output) => output());

/** Starts `loopdesk start` as a real child process (one Node process, so SIGKILL kills it all). */
export async function spawnServer(
  env: Record<string, string>,
  /** noHttp: a worker-only process serves no HTTP, so there is no health check to wait for. */
  /**
   * compiled: the server as `npm start` runs it (server/dist, built first if it is stale; the default where
   * LOOPDESK_TEST_COMPILED=1); template: false starts from an empty DATA_DIR.
   */
  opts: {
    port?: number;
    args?: string[];
    nodeArgs?: string[];
    timeoutMs?: number;
    noHttp?: boolean;
    compiled?: boolean;
    /** bin: started as the `loopdesk` command (server/bin/loopdesk.mjs run as a program, by its first line). */
    bin?: boolean;
    template?: boolean;
  } = {},
): Promise<RunningServer> {
  const port = opts.port ?? (await freePort());
  if (opts.template !== false) seedDataDir(env);
  // The browser tests run the server compiled, as `npm start` does (vitest.config.ts: LOOPDESK_TEST_COMPILED):
  // it starts in about half the time TypeScript loaded at run time takes.
  const compiled = opts.compiled ?? process.env.LOOPDESK_TEST_COMPILED === "1";
  if (compiled || opts.bin) buildCompiled();
  let out = "";
  started.push(() => out);
  const entry = compiled ? [...startNodeArgs(), "dist/main.js"] : ["--import", "tsx", "src/main.ts"];
  const [program, ...args] = opts.bin
    ? [path.join(serverDir, "bin", "loopdesk.mjs"), "start", ...(opts.args ?? [])]
    : [process.execPath, ...(opts.nodeArgs ?? []), ...entry, "start", ...(opts.args ?? [])];
  const child = spawn(program as string, args, {
    cwd: serverDir,
    // Rate limits off unless the test sets them (tests send requests far faster than people do).
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      LOOPDESK_DEMO: "false",
      LOOPDESK_RATE_LIMIT_PER_MINUTE: "0",
      LOOPDESK_RATE_LIMIT_PUBLIC_PER_MINUTE: "0",
      LOOPDESK_RATE_LIMIT_SIGN_IN_PER_MINUTE: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!opts.noHttp && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!opts.noHttp && Date.now() >= deadline) {
    child.kill("SIGKILL");
    throw new Error(`server did not become healthy:\n${out}`);
  }
  return {
    url,
    port,
    child,
    output: () => out,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

/** Signs in over real HTTP and returns a fetch wrapper with the session cookie and CSRF header. */
export async function httpClient(baseUrl: string, email: string, password: string) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie =
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith("loopdesk_session="))
      ?.split(";")[0] ?? "";
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (pathname: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${pathname}`, {
      ...init,
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken, ...(init.headers ?? {}) },
    });
}

/**
 * Keeps reading a live stream (GET /api/v1/stream) in the background: `text()` is what arrived so
 * far, `close()` ends it. `open` gets the stream with the given abort signal.
 */
export async function followStream(open: (signal: AbortSignal) => Promise<Response>) {
  const abort = new AbortController();
  const reader = ((await open(abort.signal)).body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let streamed = "";
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        // One decoder across chunks: a character split between two chunks stays whole.
        streamed += decoder.decode(value, { stream: true });
      }
    } catch {}
  })();
  return {
    text: () => streamed,
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}
