import fs from "node:fs";
import { generateCorpus } from "./classification-corpus";
import { load, median, percentiles, round } from "./load";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;
type Stats = Awaited<ReturnType<typeof load>>;

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) one process has used, from /proc. */
export function cpuSeconds(pid: number) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0; // the process ended meanwhile
  }
}

/** Last CPU seconds seen of each PostgreSQL process, by pid and start time (a pid can be reused). */
const postgresSeen = new Map<string, number>();

/**
 * CPU seconds used so far by every PostgreSQL process (the benchmark's own server is the only one).
 * A process that has exited (a backend whose connection closed, an autovacuum worker) keeps the CPU
 * last seen of it, so the sum never goes down between two readings.
 */
export function postgresCpuSeconds() {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      postgresSeen.set(`${entry}:${fields[19]}`, (Number(fields[11]) + Number(fields[12])) / TICKS);
    } catch {
      // gone
    }
  }
  let total = 0;
  for (const seconds of postgresSeen.values()) total += seconds;
  return total;
}

/** The body of the i-th creation: texts that vary like real requests, from 3,000 customers by email and phone. */
export function creationBody(corpus: { text: string }[], i: number) {
  const item = corpus[i % corpus.length] as { text: string };
  return {
    subject: item.text.slice(0, 24),
    description: `${item.text}\n订单号 DD${String(20260000 + i)}`,
    customer: i % 3 === 0 ? { phone: `139${String(10_000_000 + (i % 3000)).slice(-8)}` } : { email: `c${i % 3000}@example.cn` },
  };
}

/**
 * Issue 23: ticket creation against GET /healthz at concurrency 16, measured alternately in rounds
 * in one run (the machine is shared: the ratio of neighbouring rounds is what counts), with CPU
 * per creation (server process + PostgreSQL processes) and whether each new ticket is found by a
 * search made right after its creation.
 */
export async function benchCreation(
  server: { url: string; pid: number },
  api: Api,
  opts: { engine: "pglite" | "postgres"; rounds: number; perRound: number; healthzPerRound: number },
) {
  // Texts that vary like real requests, from 3,000 customers (duplicates are then as rare as in life).
  const corpus = generateCorpus(4000, 23);
  let n = 0;
  const create = async () => void (await api("POST", "/api/v1/tickets", creationBody(corpus, n++)));
  const healthz = () => fetch(`${server.url}/healthz`).then((r) => r.text());
  // A discarded round first: the server's JIT settles over the first thousand requests or so (the
  // first round of a cold server ran at half the later rounds' rates), and steady state is what counts.
  await load(opts.healthzPerRound, 16, async () => void (await healthz()));
  await load(opts.perRound, 16, create);

  // Everything on the machine that serves a request: the server, the database and this client.
  const allCpu = () => cpuSeconds(server.pid) + (opts.engine === "postgres" ? postgresCpuSeconds() : 0) + cpuSeconds(process.pid);
  const written = async () =>
    ((await api("GET", "/api/v1/system/database")) as { ticketCreation: { tickets: number; transactions: number } }).ticketCreation;
  const written0 = await written();
  const rounds: {
    healthz: Stats;
    creation: Stats;
    cpuMsPerCreation: number;
    serverCpuMs: number;
    dbCpuMs: number;
    allCpuMsPerHealthz: number;
    allCpuMsPerCreation: number;
    clientCpuMsPerHealthz: number;
    clientCpuMsPerCreation: number;
  }[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const h0 = allCpu();
    const hc0 = cpuSeconds(process.pid);
    const h = await load(opts.healthzPerRound, 16, async () => void (await healthz()));
    const hc1 = cpuSeconds(process.pid);
    const h1 = allCpu();
    const server0 = cpuSeconds(server.pid);
    const db0 = opts.engine === "postgres" ? postgresCpuSeconds() : 0;
    const c = await load(opts.perRound, 16, create);
    const serverCpu = cpuSeconds(server.pid) - server0;
    const dbCpu = opts.engine === "postgres" ? postgresCpuSeconds() - db0 : 0;
    const c1 = allCpu();
    const cc1 = cpuSeconds(process.pid);
    rounds.push({
      clientCpuMsPerHealthz: round(((hc1 - hc0) * 1000) / opts.healthzPerRound),
      clientCpuMsPerCreation: round(((cc1 - hc1) * 1000) / opts.perRound),
      allCpuMsPerHealthz: round(((h1 - h0) * 1000) / opts.healthzPerRound),
      allCpuMsPerCreation: round(((c1 - h1) * 1000) / opts.perRound),
      healthz: h,
      creation: c,
      serverCpuMs: round((serverCpu * 1000) / opts.perRound),
      dbCpuMs: round((dbCpu * 1000) / opts.perRound),
      cpuMsPerCreation: round(((serverCpu + dbCpu) * 1000) / opts.perRound),
    });
  }
  const written1 = await written();
  const ratios = rounds.map((r) => r.creation.perSecond / r.healthz.perSecond);
  const sequential = await load(Math.max(50, Math.floor(opts.perRound / 4)), 1, create);

  // Search reads its own writes: each new ticket looked up by its order number right after creation.
  let found = 0;
  const searchLatencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const order = `DD${String(30260000 + i)}`;
    const created = (await api("POST", "/api/v1/tickets", {
      subject: `搜索即时性 ${i}`,
      description: `退款一直没到账，订单号 ${order}`,
      customer: { email: `search${i}@example.cn` },
    })) as { id: number };
    const t0 = performance.now();
    const result = (await api("GET", `/api/v1/tickets?q=${encodeURIComponent(order)}&limit=5`)) as { items: { id: number }[] };
    searchLatencies.push(performance.now() - t0);
    if (result.items.some((t) => t.id === created.id)) found++;
  }

  return {
    rounds,
    healthzConcurrency16: median(rounds.map((r) => r.healthz.perSecond)),
    creationConcurrency16: median(rounds.map((r) => r.creation.perSecond)),
    creationSequential: sequential,
    ratio: { median: round(median(ratios)), min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) },
    p99Ms: median(rounds.map((r) => r.creation.p99Ms)),
    cpuMsPerCreation: median(rounds.map((r) => r.cpuMsPerCreation)),
    cpuMsSpread: [Math.min(...rounds.map((r) => r.cpuMsPerCreation)), Math.max(...rounds.map((r) => r.cpuMsPerCreation))],
    serverCpuMs: median(rounds.map((r) => r.serverCpuMs)),
    /**
     * CPU-bound at concurrency 16, a rate is the cores over the CPU one request costs everything
     * on the machine (server, database, this client): the ratio cannot exceed their quotient.
     */
    allCpuMsPerHealthz: median(rounds.map((r) => r.allCpuMsPerHealthz)),
    allCpuMsPerCreation: median(rounds.map((r) => r.allCpuMsPerCreation)),
    ratioCeiling: round(median(rounds.map((r) => r.allCpuMsPerHealthz / r.allCpuMsPerCreation))),
    /** This benchmark's own share (sending each request and reading its answer with fetch). */
    clientCpuMsPerHealthz: median(rounds.map((r) => r.clientCpuMsPerHealthz)),
    clientCpuMsPerCreation: median(rounds.map((r) => r.clientCpuMsPerCreation)),
    dbCpuMs: median(rounds.map((r) => r.dbCpuMs)),
    /** Tickets per shared transaction over the measured rounds (server/src/modules/tickets/creation-queue.ts). */
    meanBatch: round((written1.tickets - written0.tickets) / Math.max(1, written1.transactions - written0.transactions)),
    searchedAtOnce: { created: 20, found, ...percentiles(searchLatencies) },
  };
}
