import { cpuSeconds, postgresCpuSeconds } from "./creation-bench";
import { load, median, round } from "./load";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;

/** The requests measured beside a creation, with the same client. */
const KINDS = ["healthz", "refused", "read"] as const;
type Kind = (typeof KINDS)[number];

/**
 * Issue 23: where a creation's ratio to /healthz stands among the server's cheapest API requests,
 * in alternating rounds at concurrency 16 on the same server, after the creation rounds: a ticket
 * creation the server refuses at validation (HTTP, authentication and the JSON body; no database)
 * and an agent's read of one ticket (GET /api/v1/tickets/:id, as the ticket page opens it). Each
 * rate is divided by its neighbouring /healthz round's, as the creation's is; CPU is everything on
 * the machine per request (server, database, this client).
 */
export async function benchNeighbourRequests(
  server: { url: string; pid: number },
  api: Api,
  opts: { engine: "pglite" | "postgres"; rounds: number; perRound: number; ticketIds: number[] },
) {
  let n = 0;
  const run: Record<Kind, () => Promise<void>> = {
    healthz: () => fetch(`${server.url}/healthz`).then(async (r) => void (await r.text())),
    // An empty subject is refused by the body's schema (400) before anything reads the database.
    refused: () =>
      api("POST", "/api/v1/tickets", { subject: "", description: "订单一直没发货", customer: { email: `n${n++}@example.cn` } }).then(
        () => {
          throw new Error("an empty subject was accepted");
        },
        (error: Error) => {
          if (!error.message.includes(": 400 ")) throw error;
        },
      ),
    read: async () => void (await api("GET", `/api/v1/tickets/${opts.ticketIds[n++ % opts.ticketIds.length]}`)),
  };
  const allCpu = () => cpuSeconds(server.pid) + (opts.engine === "postgres" ? postgresCpuSeconds() : 0) + cpuSeconds(process.pid);
  const rounds: Record<Kind, { perSecond: number; allCpuMs: number }>[] = [];
  for (const kind of KINDS) await load(Math.floor(opts.perRound / 4), 16, run[kind]); // warm-up, discarded
  for (let r = 0; r < opts.rounds; r++) {
    const measured = {} as Record<Kind, { perSecond: number; allCpuMs: number }>;
    for (const kind of KINDS) {
      const cpu0 = allCpu();
      const stats = await load(opts.perRound, 16, run[kind]);
      measured[kind] = { perSecond: stats.perSecond, allCpuMs: round(((allCpu() - cpu0) * 1000) / opts.perRound) };
    }
    rounds.push(measured);
  }
  const summary = (kind: Exclude<Kind, "healthz">) => {
    const ratios = rounds.map((r) => r[kind].perSecond / r.healthz.perSecond);
    return {
      perSecond: median(rounds.map((r) => r[kind].perSecond)),
      ratio: { median: round(median(ratios)), min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) },
      allCpuMs: median(rounds.map((r) => r[kind].allCpuMs)),
    };
  };
  return {
    rounds,
    healthz: { perSecond: median(rounds.map((r) => r.healthz.perSecond)), allCpuMs: median(rounds.map((r) => r.healthz.allCpuMs)) },
    refused: summary("refused"),
    read: summary("read"),
  };
}

export type NeighbourRequests = Awaited<ReturnType<typeof benchNeighbourRequests>>;

/** docs/performance.md: the creation among its neighbours, one line per engine. */
export function neighbourLines(
  results: { engine: string; name: string; creation: { ratio: { median: number }; neighbours?: NeighbourRequests } }[],
  target: (engine: string) => number,
): string[] {
  const measured = results.filter((r) => r.creation.neighbours !== undefined);
  if (measured.length === 0) return [];
  return [
    "**Beside the server's cheapest API requests.** After the creation rounds, the same client and server alternated",
    "/healthz with a ticket creation refused at validation (HTTP, authentication, the JSON body; no database) and an",
    "agent's read of one ticket (`GET /api/v1/tickets/:id`), each divided by its neighbouring /healthz round (median,",
    "min–max; CPU per request for everything on the machine):",
    "",
    ...measured.map((r) => {
      const nb = r.creation.neighbours as NeighbourRequests;
      const part = (label: string, k: NeighbourRequests["read"]) =>
        `${label} ${k.ratio.median} (${k.ratio.min}–${k.ratio.max}), ${k.allCpuMs} ms`;
      return `- ${r.name}: /healthz ${nb.healthz.allCpuMs} ms; ${part("a refused creation", nb.refused)}; ${part("reading one ticket", nb.read)}; a creation ${r.creation.ratio.median} (target ${target(r.engine)}).`;
    }),
    "",
  ];
}
