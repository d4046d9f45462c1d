import type { benchClassification } from "./classification-bench";
import type { benchKnowledge } from "./knowledge-bench";
import type { benchImport } from "./portability-bench";
import type { benchScale } from "./scale-bench";
import fs from "node:fs";
import {
  type CreationResult,
  type MixedResult,
  type SearchResult,
  type StartupResult,
  creationSection,
  mixedSection,
  searchSection,
  replicaSection,
  type ReplicaResult,
  startupSection,
} from "./report-scale-out";
import path from "node:path";
import { type IndexResult, indexSection } from "./report-indexes";

type Stats = { perSecond: number; p50Ms: number; p95Ms: number; p99Ms: number; total: number; concurrency: number };
type Result = {
  engine: "pglite" | "postgres";
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  rawCommits: { sequential: Stats; concurrency16?: Stats };
  creation: { sequential: Stats; concurrency16: Stats };
  creationVsRaw: { sequential: number; concurrency16: number };
  httpBaseline?: { healthzSequential: Stats; healthzConcurrency16: Stats; authenticatedSequential: Stats };
  listing: (Stats & { tickets: number; query: string })[];
  sla?: { openClocks: number; dueFound: number; sweepP50Ms: number; sweepMaxMs: number; recomputed: number; recomputePerSecond: number };
};

type AnalyticsResult = {
  engine: "pglite" | "postgres";
  at: string;
  /** Follow-up measurements recorded by hand after the run (what changed, and what it measured). */
  notes?: string[];
  dashboards: (Stats & { tickets: number; request: string; rollupRows: number; agentRollupRows: number; openTickets: number })[];
  maintenance: null | {
    tickets: number;
    events: number;
    appendMsPerEventWithoutTrigger: number;
    appendMsPerEventWithTrigger: number;
    triggerOverhead: number;
    refreshTicketsPerSecond: number;
    refreshMsPerEvent: number;
  };
};

type Arrivals = Stats & { maxMs: number; offeredPerSecond: number; workers: number; meanRun: number; deferred: number };

type RoutingResult = {
  at: string;
  agents: number;
  teams: number;
  openTickets: number;
  decisions: {
    sequential: Stats & { maxMs: number };
    concurrency8: Stats & { maxMs: number };
    batchesOf10?: Stats & { maxMs: number; decisionsPerSecond: number; batch: number };
    arrivals500?: Arrivals;
    arrivals1000?: Arrivals;
  };
  winningDecisions: { n: number; tickets: number };
  simulator: { tickets: number; agents: number; perStrategy: { strategy: string; runMs: number }[]; totalMs: number };
  /** Measurements made beside the run (added to the results file by hand), printed under the table. */
  notes?: string[];
};

/** Issue 5: ≥ 500 decisions/s and p99 ≤ 50 ms (500 agents, 100,000 open tickets, PostgreSQL); a simulated day of 50,000 tickets in < 10 s. */
const ROUTING_TARGET = { perSecond: 500, p99Ms: 50, simulatorMs: 10_000 };

/** Issue 7: overview requests p95 ≤ 300 ms on PostgreSQL (1M and 10M tickets), ≤ 1 s on PGlite (200k). */
const DASHBOARD_P95_MS = { postgres: 300, pglite: 1000 };

const TARGETS = {
  postgres: { creationVsRaw: 0.4, listingTickets: 1_000_000, listingP99Ms: 20 },
  pglite: { creationPerSecond: 150, listingTickets: 100_000, listingP99Ms: 100 },
};

/** Regenerates docs/performance.md from the newest full result of each engine. */
export function writeReport(resultsDir: string, target: string) {
  const latest = new Map<string, Result>();
  const analytics = new Map<string, AnalyticsResult>();
  let routing: RoutingResult | undefined;
  let processes: ProcessResult | undefined;
  let classification: ClassificationResult | undefined;
  let knowledge: KnowledgeResult | undefined;
  let imports: ImportResult | undefined;
  let scale: ScaleResult | undefined;
  const creation = new Map<string, CreationResult>();
  const creationRuns: CreationResult[] = [];
  const search = new Map<string, SearchResult>();
  let startup: StartupResult | undefined;
  let mixed: MixedResult | undefined;
  let replica: ReplicaResult | undefined;
  let indexes: IndexResult | undefined;
  for (const f of fs
    .readdirSync(resultsDir)
    .filter((f) => f.endsWith(".json") && !f.includes("quick"))
    .sort()) {
    const r = JSON.parse(fs.readFileSync(path.join(resultsDir, f), "utf8"));
    if (f.includes("-creation")) {
      creation.set(r.engine, r as CreationResult);
      creationRuns.push(r as CreationResult);
    } else if (f.includes("-search")) search.set(r.engine, r as SearchResult);
    else if (f.includes("-startup")) startup = r as StartupResult;
    else if (f.includes("-mixed")) mixed = r as MixedResult;
    else if (f.includes("-replica")) replica = r as ReplicaResult;
    else if (f.includes("-indexes")) indexes = r as IndexResult;
    else if (f.includes("-routing")) routing = r as RoutingResult;
    else if (f.includes("-processes")) processes = r as ProcessResult;
    else if (f.includes("-classification")) classification = r as ClassificationResult;
    else if (f.includes("-knowledge")) knowledge = r as KnowledgeResult;
    else if (f.includes("-import")) imports = r as ImportResult;
    else if (f.includes("-scale")) scale = r as ScaleResult;
    else if (f.includes("-analytics")) analytics.set(r.engine, r as AnalyticsResult);
    else latest.set(r.engine, r as Result);
  }
  const lines: string[] = [
    "# Performance",
    "",
    "Generated by `npm run bench` (bench/run.ts) from the newest `bench/results/*.json` of each engine.",
    "All requests go over real HTTP to a `loopdesk start` process; each ticket creation commits the",
    "ticket, its history event, its domain event and its subscriber job in one transaction.",
    "PostgreSQL runs with its default durable settings (fsync on) on the same machine, reached over its",
    "Unix-domain socket by both the server and the raw-commit ceiling. Times are wall-clock on a",
    "shared 2-core machine: compare ratios within one run rather than absolute figures across runs.",
    "",
  ];
  for (const r of latest.values()) {
    lines.push(`## ${r.engine === "postgres" ? "PostgreSQL" : "PGlite (embedded)"} — ${r.at.slice(0, 16).replace("T", " ")} UTC`, "");
    lines.push(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}.`, "");
    lines.push("| Ticket creation | per second | p50 ms | p99 ms |", "|---|---:|---:|---:|");
    lines.push(
      `| raw single-row commit, sequential (ceiling) | ${r.rawCommits.sequential.perSecond} | ${r.rawCommits.sequential.p50Ms} | ${r.rawCommits.sequential.p99Ms} |`,
    );
    if (r.rawCommits.concurrency16)
      lines.push(
        `| raw single-row commit, 16 connections (ceiling) | ${r.rawCommits.concurrency16.perSecond} | ${r.rawCommits.concurrency16.p50Ms} | ${r.rawCommits.concurrency16.p99Ms} |`,
      );
    if (r.httpBaseline) {
      const b = r.httpBaseline;
      const row = (label: string, x: Stats) => `| ${label} | ${x.perSecond} | ${x.p50Ms} | ${x.p99Ms} |`;
      lines.push(row("baseline: GET /healthz (HTTP + `select 1`), sequential", b.healthzSequential));
      lines.push(row("baseline: GET /healthz, concurrency 16", b.healthzConcurrency16));
      lines.push(row("baseline: GET /api/v1/me (HTTP + authentication), sequential", b.authenticatedSequential));
    }
    lines.push(
      `| POST /api/v1/tickets, sequential | ${r.creation.sequential.perSecond} | ${r.creation.sequential.p50Ms} | ${r.creation.sequential.p99Ms} |`,
    );
    lines.push(
      `| POST /api/v1/tickets, concurrency 16 | ${r.creation.concurrency16.perSecond} | ${r.creation.concurrency16.p50Ms} | ${r.creation.concurrency16.p99Ms} |`,
    );
    lines.push("");
    if (r.engine === "postgres") {
      const ok = r.creationVsRaw.concurrency16 >= TARGETS.postgres.creationVsRaw;
      lines.push(
        `Creation vs raw commit rate: ${Math.round(r.creationVsRaw.sequential * 100)}% sequential, ${Math.round(r.creationVsRaw.concurrency16 * 100)}% at concurrency 16 (target ≥ 40%: ${ok ? "met" : "**not met**"}).`,
        "",
      );
    } else {
      const best = Math.max(r.creation.sequential.perSecond, r.creation.concurrency16.perSecond);
      lines.push(
        `Creation: ${best}/s at best (target ≥ ${TARGETS.pglite.creationPerSecond}/s: ${best >= TARGETS.pglite.creationPerSecond ? "met" : "**not met**"}); ${Math.round(r.creationVsRaw.sequential * 100)}% of the raw sequential commit rate.`,
        "",
      );
    }
    lines.push("| Queue listing (limit 50) | tickets | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|");
    for (const l of r.listing) lines.push(`| ${l.query} | ${l.tickets.toLocaleString("en")} | ${l.p50Ms} | ${l.p95Ms} | ${l.p99Ms} |`);
    const t = TARGETS[r.engine];
    const atTarget = r.listing.filter((l) => l.tickets === t.listingTickets);
    if (atTarget.length) {
      const worst = Math.max(...atTarget.map((l) => l.p99Ms));
      lines.push(
        "",
        `Worst listing p99 at ${t.listingTickets.toLocaleString("en")} tickets: ${worst} ms (target ≤ ${t.listingP99Ms} ms: ${worst <= t.listingP99Ms ? "met" : "**not met**"}).`,
      );
    }
    if (r.sla) {
      const s = r.sla;
      lines.push(
        "",
        "| SLA (issue 6) | figure |",
        "|---|---:|",
        `| running clocks stored (one per ticket) | ${s.openClocks.toLocaleString("en")} |`,
        `| clocks due for a warning, breach or escalation step, found by one sweep | ${s.dueFound.toLocaleString("en")} |`,
        `| sweep time, p50 / max of 10 (ms) | ${s.sweepP50Ms} / ${s.sweepMaxMs} |`,
        `| due-time recomputation after a calendar change (tickets/s, ${s.recomputed.toLocaleString("en")} tickets, working-time calendar with China's official days) | ${s.recomputePerSecond} |`,
        "",
        `Sweep target ≤ 1,000 ms: ${s.sweepMaxMs <= 1000 ? "met" : "**not met**"}.`,
      );
    }
    lines.push("");
  }
  const pgr = latest.get("postgres");
  if (pgr?.httpBaseline) {
    const budgetMs = 1000 / (pgr.rawCommits.sequential.perSecond * TARGETS.postgres.creationVsRaw);
    lines.push(
      "## Reading the PostgreSQL creation target",
      "",
      `The target asks for ticket creation at ≥ 40% of the raw single-row commit rate. Sequentially that is a budget of ${budgetMs.toFixed(2)} ms`,
      `per creation, end to end. On this machine an HTTP request that does nothing but \`select 1\` already takes ${pgr.httpBaseline.healthzSequential.p50Ms} ms (p50),`,
      `and one that also authenticates its caller ${pgr.httpBaseline.authenticatedSequential.p50Ms} ms — before the ticket's own writes (customer lookup, the`,
      "ticket row with its queue indexes, its history event, the outbox event and job, one durable commit). At concurrency 16 the",
      "raw figure is many connections each committing one tiny row, against which every creation also pays for HTTP parsing,",
      "validation and JSON on the same two cores. So the ratio stays far below 40%; the figures above show where the time goes.",
      `A creation costs about ${(pgr.creation.sequential.p50Ms - pgr.httpBaseline.authenticatedSequential.p50Ms).toFixed(1)} ms (p50) beyond an authenticated request that does nothing.`,
      "",
      "Round trips are what a creation is made of here. Counted with a wrapper around the `pg` client (3,700 creations,",
      "2026-11-22): 8.1 statements per creation including its share of the search-index job — authentication 1 (token and",
      "staff in one query), begin, customer lookup, ticket + history events (one statement), outbox event + jobs + notify",
      "(one statement), commit, and about 1.9 for the batched job (claim, read, index, complete, in one transaction per",
      "batch). The first run of the day (TCP loopback, 10.6 statements) measured 106/s sequential and 272/s at concurrency 16;",
      "the next, with 8.1 statements over the socket, 149/s and 301/s. Since then every ticket event also feeds the SLA clock",
      "subscriber (one more job per event, recomputing the ticket's clocks), which the figures above include.",
      "During a concurrency-16 run the server process used about half a core and each PostgreSQL backend about 5%: the",
      "rest of the wait is scheduling and socket hand-offs between 16 backends and two Node processes on two cores.",
      "",
      `The target cannot be met on this machine with HTTP in the loop: 40% of the raw rate is ${(pgr.rawCommits.sequential.perSecond * 0.4).toFixed(0)}/s sequentially and`,
      `${((pgr.rawCommits.concurrency16?.perSecond ?? 0) * 0.4).toFixed(0)}/s at concurrency 16, while an HTTP request that only runs \`select 1\` manages ${pgr.httpBaseline.healthzSequential.perSecond}/s and`,
      `${pgr.httpBaseline.healthzConcurrency16.perSecond}/s here — below the target before any ticket is written.`,
      "",
    );
  }
  for (const a of analytics.values()) lines.push(...analyticsSection(a));
  if (routing) lines.push(...routingSection(routing));
  if (processes) lines.push(...processSection(processes));
  if (classification) lines.push(...classificationSection(classification));
  if (knowledge) lines.push(...knowledgeSection(knowledge));
  if (imports) lines.push(...importSection(imports));
  if (scale) lines.push(...scaleSection(scale));
  lines.push(
    ...creationSection([...creation.values()], creationRuns),
    ...startupSection(startup),
    ...searchSection([...search.values()]),
    ...mixedSection(mixed),
    ...replicaSection(replica),
    ...indexSection(indexes),
  );
  fs.writeFileSync(target, `${lines.join("\n")}\n`);
}

function analyticsSection(a: AnalyticsResult) {
  const name = a.engine === "postgres" ? "PostgreSQL" : "PGlite (embedded)";
  const limit = DASHBOARD_P95_MS[a.engine];
  const overviews = a.dashboards.filter((d) => d.request.startsWith("overview"));
  const worst = Math.max(...overviews.map((d) => d.p95Ms));
  const m = a.maintenance;
  const upkeep = m
    ? [
        "| Rollup upkeep | figure |",
        "|---|---:|",
        `| appending a ticket event, without the dirty-marking trigger (ms per event, batches of 5,000) | ${m.appendMsPerEventWithoutTrigger.toFixed(4)} |`,
        `| the same with the trigger | ${m.appendMsPerEventWithTrigger.toFixed(4)} (× ${m.triggerOverhead}) |`,
        `| refresh: recompute facts and move the rollups (tickets/s, ${m.tickets.toLocaleString("en")} tickets with 5 events each) | ${m.refreshTicketsPerSecond} |`,
        `| refresh cost per ticket event (ms) | ${m.refreshMsPerEvent} |`,
        "",
      ]
    : ["(Rollup upkeep not measured in this run.)", ""];
  return [
    `## Reports (issue 7), ${name} — ${a.at.slice(0, 16).replace("T", " ")} UTC`,
    "",
    "Dashboard requests call the same functions as the API routes, in process (add about 1 ms of HTTP, see the baselines",
    "above). The data is generated in SQL: tickets spread over a year across 6 departments, 30 categories (skewed), 10",
    "channels and 200 agents, 2% still open, with their per-ticket facts; the daily rollups are built from the facts. The",
    "queries pay for the number of rollup rows in the range, shown per size.",
    "",
    "| Request | tickets | rollup rows (all days) | p50 ms | p95 ms | p99 ms |",
    "|---|---:|---:|---:|---:|---:|",
    ...a.dashboards.map(
      (d) =>
        `| ${d.request} | ${d.tickets.toLocaleString("en")} | ${d.rollupRows.toLocaleString("en")} | ${d.p50Ms} | ${d.p95Ms} | ${d.p99Ms} |`,
    ),
    "",
    `Worst overview p95: ${worst} ms (target ≤ ${limit} ms: ${worst <= limit ? "met" : "**not met**"}). Sizes in this run: ${[...new Set(a.dashboards.map((d) => d.tickets.toLocaleString("en")))].join(", ")}${a.engine === "postgres" && !a.dashboards.some((d) => d.tickets >= 10_000_000) ? " — the 10,000,000-ticket size was not measured in this run" : ""}.`,
    "",
    ...(a.notes ?? []).flatMap((n) => [n, ""]),
    ...upkeep,
  ];
}

function routingSection(r: RoutingResult) {
  const row = (name: string, d: Stats & { maxMs: number }) =>
    `| ${name} | ${d.total.toLocaleString("en")} | ${d.perSecond} | ${d.p50Ms} | ${d.p95Ms} | ${d.p99Ms} |`;
  const c8 = r.decisions.concurrency8;
  const slowest = Math.max(...r.simulator.perStrategy.map((s) => s.runMs));
  const a500 = r.decisions.arrivals500;
  const a1000 = r.decisions.arrivals1000;
  const best = Math.max(c8.perSecond, a1000?.perSecond ?? 0);
  const rateMet = best >= ROUTING_TARGET.perSecond && (!a500 || a500.perSecond >= 0.98 * a500.offeredPerSecond);
  const p99 = a500 ? a500.p99Ms : c8.p99Ms;
  const arrivalRow = (a: Arrivals) =>
    row(
      `runs, tickets arriving at ${a.offeredPerSecond}/s, ${a.workers} workers (mean run ${a.meanRun}; latency from arrival to commit)`,
      a,
    );
  return [
    `## Routing (issue 5), PostgreSQL — ${r.at.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `${r.agents} agents online in ${r.teams} teams (least-loaded, load-aware, round-robin and skill-based), ${r.openTickets.toLocaleString("en")} open tickets`,
    "assigned among them; new tickets routed by the live decision code (bench/lib/routing-bench.ts): ticket locks, rules,",
    "eligibility from the per-agent counters, the claim (agent lock and capacity re-check), the assignment with its history",
    "event, domain event and subscriber jobs, and the log. First each decision in its own transaction; then as *runs*",
    "(`routeTickets`, what the routing subscriber does with the new tickets waiting in its queue): tickets arrive at a steady",
    "rate and two workers (as two processes would) each decide whatever has arrived in one transaction; like the routing",
    "subscriber's runs, they take turns (an advisory lock held until the run commits). The database is settled first, as a",
    "running server's is: vacuumed and checkpointed, so its WAL segments are recycled rather than created (a new 16 MB",
    "segment is zero-filled and synced, a stall only a just-initialised cluster has).",
    "",
    "| Decisions | count | per second | p50 ms | p95 ms | p99 ms |",
    "|---|---:|---:|---:|---:|---:|",
    row("one at a time, own transaction each", r.decisions.sequential),
    row("8 in flight, own transaction each", c8),
    ...(a500 ? [arrivalRow(a500)] : []),
    ...(a1000 ? [arrivalRow(a1000)] : []),
    "",
    `Target ≥ ${ROUTING_TARGET.perSecond}/s: ${rateMet ? "met" : "**not met**"}${a1000 ? ` (runs keep up with ${a500?.offeredPerSecond}/s and decide ${a1000.perSecond}/s when ${a1000.offeredPerSecond}/s arrive)` : ""}. p99 ≤ ${ROUTING_TARGET.p99Ms} ms: ${p99 <= ROUTING_TARGET.p99Ms ? "met" : `**not met** (p99 ${p99} ms at ${a500 ? `${a500.offeredPerSecond}/s` : "8 in flight"})`}. Every routed ticket has exactly one winning decision (${r.winningDecisions.n.toLocaleString("en")} decisions for ${r.winningDecisions.tickets.toLocaleString("en")} tickets).`,
    "",
    ...(p99 <= ROUTING_TARGET.p99Ms
      ? []
      : [
          "Where the time goes: a run from the queue holds the turn from its first statement to its durable commit, so a",
          "ticket waits for the run in progress and then its own; in a run of a few tickets about 7 ms are fixed (nine round",
          "trips, the commit) and each ticket adds about 1 ms (the ticket row with its indexes, history and counting trigger,",
          "its domain event, Node's share). A stall (a checkpoint, a garbage collection, the host) makes the next runs bigger,",
          "and p99 is set by the worst stall of the run.",
          "",
        ]),
    ...(r.notes ?? []).flatMap((n) => [n, ""]),
    `Simulator: a generated day of ${r.simulator.tickets.toLocaleString("en")} tickets and ${r.simulator.agents} agents per strategy — ${r.simulator.perStrategy.map((s) => `${s.strategy} ${(s.runMs / 1000).toFixed(2)} s`).join(", ")} (slowest ${(slowest / 1000).toFixed(2)} s; target < ${ROUTING_TARGET.simulatorMs / 1000} s: ${slowest < ROUTING_TARGET.simulatorMs ? "met" : "**not met**"}).`,
    "",
  ];
}

type ProcessResult = {
  at: string;
  instances: number;
  rounds: { completions: Stats; updates: Stats; ratio: number }[];
  completionVsUpdate: { median: number; min: number; max: number };
  taskQueue: Stats;
  taskCount: Stats;
};

/** Issue 19: step completions against ticket updates, and the task queue, with 10,000 running instances. */
function processSection(p: ProcessResult) {
  const ok = p.completionVsUpdate.median >= 0.5;
  const queueOk = p.taskQueue.p99Ms <= 50;
  return [
    `## Processes on PostgreSQL — ${p.at.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `${p.instances.toLocaleString("en")} running instances of a three-step chain, each waiting at a step in one department's pool`,
    "(bench/lib/process-bench.ts). Over HTTP at concurrency 8, in alternating rounds: step completions (`POST /tasks/:id/complete`:",
    "the task finished, the next one started with its history and live event) against ticket updates (`PATCH /tickets/:id`).",
    "",
    "| round | completions/s | p99 ms | updates/s | p99 ms | ratio |",
    "|---|---|---|---|---|---|",
    ...p.rounds.map(
      (r, i) =>
        `| ${i + 1} | ${r.completions.perSecond} | ${r.completions.p99Ms} | ${r.updates.perSecond} | ${r.updates.p99Ms} | ${r.ratio} |`,
    ),
    "",
    `Completions vs updates: median ${p.completionVsUpdate.median} (spread ${p.completionVsUpdate.min}–${p.completionVsUpdate.max}); target ≥ 0.5: ${ok ? "met" : "**not met**"}.`,
    `我的待办 (\`GET /tasks?scope=mine\`, a member of the department holding all ${p.instances.toLocaleString("en")} tasks): p50 ${p.taskQueue.p50Ms} ms, p99 ${p.taskQueue.p99Ms} ms (target ≤ 50 ms: ${queueOk ? "met" : "**not met**"}); the badge count p99 ${p.taskCount.p99Ms} ms.`,
    "",
    "A completion is six statements in one transaction after the caller's session: the ticket locked, the task with its instance",
    "and graph in one read, the task finished, the next task inserted, then the instance's state, the step's history and the",
    "ticket's access in one statement, and the live event. Every update changes the ticket's priority; an earlier version of this",
    "benchmark cycled priorities so that most updates kept the one the ticket had and wrote nothing, which made updates look three",
    "times cheaper than they are (its rounds reported 0.21–0.67). Both paths are warmed up and the background work of loading",
    "finishes before the rounds; the queue is read once the updates' background work is done.",
    "",
  ];
}

type ClassificationResult = Awaited<ReturnType<typeof benchClassification>> & { at: string };
type KnowledgeResult = Awaited<ReturnType<typeof benchKnowledge>> & { at: string; engine: string };

type ImportResult = { engine: string; at: string; import: Awaited<ReturnType<typeof benchImport>> };

function importSection(r: ImportResult) {
  const i = r.import;
  const e = i.export;
  return [
    `## Spreadsheet import and export — ${r.at.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `A ${i.rows.toLocaleString("en")}-row Excel ticket log (${i.fileMiB} MiB; Chinese headers, varied texts, 3,000 customers, statuses and`,
    "priorities in their own words, a year of times) uploaded over HTTP to a `loopdesk start` process on PostgreSQL",
    "(durable settings), columns guessed, checked row by row, then imported by the durable job (batches of 1,000 rows, each",
    "one transaction; customers found or created, tickets with their history, first reply, search index and import records).",
    "",
    "| Step | Result |",
    "| --- | --- |",
    `| Upload and recognize (count rows, guess columns) | ${i.uploadSeconds} s |`,
    `| Check every row (dry run) | ${i.checkSeconds} s |`,
    `| Import | ${i.importSeconds} s — **${i.rowsPerSecond.toLocaleString("en")} rows/s** (target ≥ 2,000) |`,
    ...(i.firstImportLoadsMiB !== undefined
      ? [
          `| What a process loads at its first import (Excel reader, dictionary), from a 50-row import first | ${i.serverRssColdMiB} → ${i.serverRssBeforeMiB} MiB (+${i.firstImportLoadsMiB}) |`,
        ]
      : []),
    `| Server RSS before → peak | ${i.serverRssBeforeMiB} → ${i.serverRssPeakMiB} MiB (growth ${i.serverRssGrowthMiB} MiB; target ≤ 300: ${i.serverRssGrowthMiB <= 300 ? "met" : "**not met**"}) |`,
    ...(e
      ? [
          `| \`loopdesk export\` of the resulting workspace (${i.rows.toLocaleString("en")} tickets) | ${e.seconds} s, ${e.archiveMiB} MiB .tar.gz, peak RSS ${e.peakRssMiB} MiB |`,
        ]
      : []),
    "",
  ];
}

type ScaleResult = { engine: string; at: string; scale: Awaited<ReturnType<typeof benchScale>> };

function scaleSection(r: ScaleResult) {
  const s = r.scale;
  return [
    `## A ${s.tickets.toLocaleString("en")}-ticket embedded workspace: export and move to PostgreSQL — ${r.at.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Built straight in SQL on PGlite: ${s.tickets.toLocaleString("en")} tickets over 90 days (97% closed), ${s.messages.toLocaleString("en")} messages (the request and`,
    `a reply), ${s.events.toLocaleString("en")} history events, ${s.customers.toLocaleString("en")} customers with their email; data directory ${s.dataDirMiB.toLocaleString("en")} MiB (built in ${s.buildSeconds} s).`,
    "Each command runs as its own process, as an administrator would run it; peak RSS is sampled every 200 ms.",
    "",
    "| Command | time | peak RSS | result |",
    "| --- | ---: | ---: | --- |",
    `| \`loopdesk export --out x.tar.gz\` | ${s.export.seconds} s | ${s.export.peakRssMiB} MiB | ${s.export.archiveMiB} MiB archive |`,
    `| \`loopdesk move-to-postgres --to …\` (durable PostgreSQL on the same machine, counts and digests verified) | ${s.moveToPostgres.seconds} s | ${s.moveToPostgres.peakRssMiB} MiB | ${s.moveToPostgres.rowsPerSecond.toLocaleString("en")} rows/s (tickets, messages, events) |`,
    "",
  ];
}

function knowledgeSection(k: KnowledgeResult) {
  const row = (label: string, r: { mrrAt5: number; top1: number }) =>
    `| ${label} | ${r.mrrAt5.toFixed(2)} | ${(r.top1 * 100).toFixed(1)}% |`;
  return [
    `## Knowledge search and recommendations — ${k.at.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `The labelled set of server/test/support/retrieval-set.ts: ${k.articles} help articles of an online shop and ${k.queries} questions in`,
    `customers' words (colloquial, often with words the article does not use), among ${k.distractors} other published articles`,
    "(citizen-hotline answers), on the embedded engine over HTTP. Search is jieba words plus Han character pairs in a",
    "`tsvector('simple')`, ranked by cover density with title words weighted up; synonyms are the admin's groups (退款/退钱/退费, …).",
    "",
    "| | MRR@5 | top-1 |",
    "|---|---:|---:|",
    row("help-center search, no synonyms", k.search.withoutSynonyms),
    row("help-center search, with synonyms", k.search.withSynonyms),
    row("ticket page: recommended articles for a new ticket", k.recommendations),
    "",
    `One recommendation request (articles and similar solved tickets): p50 ${k.recommendations.latency.p50Ms} ms, p99 ${k.recommendations.latency.p99Ms} ms.`,
    "",
    // Results written before the suggestions were measured have none.
    ...(k.suggestions ? suggestionLines(k, k.suggestions) : []),
  ];
}

/** How clean the suggestions are: what is shown beside the answer, and what a question no article answers gets. */
function suggestionLines(k: KnowledgeResult, s: KnowledgeResult["suggestions"]) {
  const row = (label: string, r: { besidePerAnswered: number; unansweredWithNone: number }) =>
    `| ${label} | ${r.besidePerAnswered.toFixed(2)} | ${(r.unansweredWithNone * 100).toFixed(0)}% |`;
  return [
    `Suggestions (three at most) for the ${k.queries} answered questions and for ${k.unanswered} questions no article answers`,
    "(some sharing a common word with one: 账号, 发货, 商品, 客服). Suggestions keep only articles that cover enough of",
    "the text — the share of its words they contain, each weighted by how rare it is among the published articles — and",
    "score at least 0.4 of the best (`server/src/modules/knowledge/suggestion-relevance.ts`); a typed search lists every match.",
    "",
    "| | other articles shown beside the answer (per question) | unanswered questions with nothing suggested |",
    "|---|---:|---:|",
    row("help-center search, first three (every match)", s.search),
    row("new-ticket form and widget suggestions", s.newTicketForm),
    row("ticket page recommendations", s.ticketPage),
    "",
  ];
}

function classificationSection(c: ClassificationResult) {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const latencyOk = c.perTicket.p99Ms <= 20;
  const trainingOk = c.large.trainingMs <= 60_000;
  return [
    `## Smart classification — ${c.at.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `A generated labelled set of citizen-hotline messages for ${c.departments} departments (bench/lib/classification-corpus.ts, method in`,
    `docs/knowledge.md); the model learns from ${c.trainedOn.toLocaleString("en")} of them. Two tests of 2,000 messages drawn with another seed:`,
    "held-out messages of the kinds the training describes (how a workspace's new tickets relate to its history), and messages",
    "about situations the training never describes (two of each department's seven). The baseline is a careful admin's keyword",
    "rules (one trigger per department, the department with most keyword hits).",
    "",
    "| | model top-1 | model top-3 | keyword rules top-1 | no department by rules |",
    "|---|---:|---:|---:|---:|",
    ...(
      [
        ["held-out messages", c.heldOut],
        ["unseen situations", c.unseenSituations],
      ] as const
    ).map(
      ([label, r]) =>
        `| ${label} | ${pct(r.model.top1)} | ${pct(r.model.top3)} | ${pct(r.keywordRules.top1)} | ${pct(r.keywordRules.noDepartment)} |`,
    ),
    "",
    "On held-out messages the model is far ahead of the rules; on situations it has never seen it falls behind them (it cannot",
    "know words no ticket used), though its top three still hold the right department for most. A generated set is easier than",
    "real tickets on the first test and harder on the second: a real history describes far more situations, in far more words.",
    "",
    `Classifying one new ticket (jieba words + prediction): p50 ${c.perTicket.p50Ms} ms, p99 ${c.perTicket.p99Ms} ms (target ≤ 20 ms: ${latencyOk ? "met" : "**not met**"}).`,
    `Training on ${c.large.tickets.toLocaleString("en")} tickets: ${(c.large.trainingMs / 1000).toFixed(1)} s in the worker thread (target ≤ 60 s: ${trainingOk ? "met" : "**not met**"}),`,
    `plus ${(c.large.segmentMs / 1000).toFixed(1)} s to split their texts into words; the model is ${(c.model.bytes / 2 ** 20).toFixed(1)} MiB.`,
    "",
  ];
}
