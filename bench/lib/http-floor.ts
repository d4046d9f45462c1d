import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../server/test/support/postgres-server";
import { generateCorpus } from "./classification-corpus";
import { cpuSeconds, creationBody, postgresCpuSeconds } from "./creation-bench";
import { load, median, round } from "./load";

const here = path.dirname(new URL(import.meta.url).pathname);

/**
 * The ceiling of any creation design that keeps HTTP and the ticket's insert: bench/lib/http-floor-server.ts
 * (HTTP, JSON and the insert, nothing else) against the real server's GET /healthz at concurrency 16,
 * in alternating rounds, each ticket in its own transaction and 16 per transaction. The client does
 * what the creation benchmark's does (a bearer header, the same bodies, the JSON answer parsed).
 */
export async function measureHttpFloor(opts: {
  engine: "pglite" | "postgres";
  url?: string;
  server: { url: string; pid: number };
  rounds: number;
  perRound: number;
  healthzPerRound: number;
}) {
  const dataDir = opts.engine === "pglite" ? fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-http-floor-")) : undefined;
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "http-floor-server.ts")], {
    env: { ...process.env, PORT: String(port), FLOOR_ENGINE: opts.engine, FLOOR_DB_URL: opts.url ?? "", FLOOR_DIR: dataDir ?? "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((ready, failed) => {
      child.stdout.on("data", (d) => String(d).includes("listening") && ready());
      child.once("exit", (code) => failed(new Error(`the floor server exited (${code})`)));
    });
    const corpus = generateCorpus(4000, 23);
    let n = 0;
    const post = (kind: "single" | "batched") => async () => {
      const res = await fetch(`http://127.0.0.1:${port}/floor/${kind}`, {
        method: "POST",
        headers: { authorization: `Bearer ${"x".repeat(43)}`, "content-type": "application/json" },
        body: JSON.stringify(creationBody(corpus, n++)),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`floor ${kind}: ${res.status} ${text.slice(0, 200)}`);
      JSON.parse(text);
    };
    const healthz = async () => void (await fetch(`${opts.server.url}/healthz`).then((r) => r.text()));
    const allCpu = () =>
      cpuSeconds(opts.server.pid) +
      cpuSeconds(child.pid as number) +
      (opts.engine === "postgres" ? postgresCpuSeconds() : 0) +
      cpuSeconds(process.pid);
    const measured = async (total: number, fn: () => Promise<void>) => {
      const cpu0 = allCpu();
      const stats = await load(total, 16, fn);
      return { perSecond: stats.perSecond, p99Ms: stats.p99Ms, allCpuMs: round(((allCpu() - cpu0) * 1000) / total) };
    };
    // Warm-up, discarded: the JIT of both servers settles.
    await load(opts.perRound, 16, post("single"));
    await load(opts.perRound, 16, post("batched"));
    const batches = async () =>
      (await (await fetch(`http://127.0.0.1:${port}/floor/batches`)).json()) as { transactions: number; tickets: number };
    const batches0 = await batches();
    const rounds: { kind: "single" | "batched"; ratio: number; allCpuMs: number; healthzCpuMs: number; perSecond: number }[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      for (const kind of ["single", "batched"] as const) {
        const h = await measured(opts.healthzPerRound, healthz);
        const c = await measured(opts.perRound, post(kind));
        rounds.push({ kind, ratio: c.perSecond / h.perSecond, allCpuMs: c.allCpuMs, healthzCpuMs: h.allCpuMs, perSecond: c.perSecond });
      }
    }
    const batches1 = await batches();
    /** How many requests the batched transactions held on average (at most 16; fewer when few were waiting). */
    const meanBatch = round((batches1.tickets - batches0.tickets) / Math.max(1, batches1.transactions - batches0.transactions));
    const summary = (kind: "single" | "batched") => {
      const of = rounds.filter((r) => r.kind === kind);
      const ratios = of.map((r) => r.ratio);
      return {
        perSecond: median(of.map((r) => r.perSecond)),
        ratio: { median: round(median(ratios)), min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) },
        /** Everything on the machine per request: both servers, the database and this client. */
        allCpuMs: median(of.map((r) => r.allCpuMs)),
        healthzAllCpuMs: median(of.map((r) => r.healthzCpuMs)),
      };
    };
    return { single: summary("single"), batched: { ...summary("batched"), meanBatch } };
  } finally {
    child.kill();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
