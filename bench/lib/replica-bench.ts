import fs from "node:fs";
import { cpuSeconds } from "./creation-bench";
import { load, median, percentiles, round } from "./load";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;

/**
 * CPU seconds used so far by one PostgreSQL cluster: its postmaster, the processes it runs, and
 * those that ended (a closed connection's backend: the postmaster reaped it, so its time is in
 * the postmaster's children's time).
 */
export function clusterCpuSeconds(dataDir: string) {
  const postmaster = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
  const own = fs.readFileSync(`/proc/${postmaster}/stat`, "utf8");
  const fields = own.slice(own.lastIndexOf(")") + 2).split(" ");
  let total = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === postmaster) total += cpuSeconds(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

/** The report requests a supervisor's dashboard and an export make (over HTTP, as the browser asks). */
export const REPORTS = [
  `/api/v1/analytics/overview?from=${day(89)}&to=${day(0)}`,
  `/api/v1/analytics/agents?from=${day(29)}&to=${day(0)}`,
  `/api/v1/analytics/tickets?from=${day(29)}&to=${day(0)}&metric=resolved&limit=50`,
  `/api/v1/analytics/export?from=${day(89)}&to=${day(0)}&table=daily&format=csv`,
];

type Mode = { name: "primary" | "replica"; api: Api; serverPid: number };

/**
 * Issue 23, part 5: what report reads cost the primary, with and without a streaming replica
 * (DATABASE_READ_URL). Two servers on the same primary, one configured with the replica, are
 * measured alternately in rounds: reports alone (CPU of the primary, the standby and the server
 * per report), then reports at concurrency 2 while tickets are created at concurrency 8 (creations
 * a second, report latency).
 */
export async function benchReplica(
  modes: Mode[],
  opts: { primaryDir: string; standbyDir: string; rounds: number; reportsPerRound: number; mixedSeconds: number },
) {
  let n = 0;
  const create = (api: Api) => async () => {
    const i = n++;
    await api("POST", "/api/v1/tickets", {
      subject: `副本基准 ${i}`,
      description: `报表读副本时的新工单 ${i}，订单号 RB${String(40_000_000 + i)}`,
      customer: { email: `replica${i % 2000}@example.cn` },
    });
  };
  const report = (api: Api) => async (i: number) => void (await api("GET", REPORTS[i % REPORTS.length] as string));
  // Warm both servers (caches, prepared plans, the standby's buffers).
  for (const m of modes) {
    await load(REPORTS.length * 3, 2, report(m.api));
    await load(40, 4, create(m.api));
  }
  const rounds: Record<string, unknown>[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    for (const m of modes) {
      const p0 = clusterCpuSeconds(opts.primaryDir);
      const s0 = clusterCpuSeconds(opts.standbyDir);
      const w0 = cpuSeconds(m.serverPid);
      const alone = await load(opts.reportsPerRound, 2, report(m.api));
      const per = (cpu: number) => round((cpu * 1000) / opts.reportsPerRound);
      const primaryMs = per(clusterCpuSeconds(opts.primaryDir) - p0);
      const standbyMs = per(clusterCpuSeconds(opts.standbyDir) - s0);
      const serverMs = per(cpuSeconds(m.serverPid) - w0);

      // Reports and new tickets at once, for a fixed time.
      const until = performance.now() + opts.mixedSeconds * 1000;
      const reportLatencies: number[] = [];
      let created = 0;
      let reports = 0;
      const p1 = clusterCpuSeconds(opts.primaryDir);
      await Promise.all([
        ...Array.from({ length: 8 }, async () => {
          const one = create(m.api);
          while (performance.now() < until) {
            await one();
            created++;
          }
        }),
        ...Array.from({ length: 2 }, async () => {
          const one = report(m.api);
          while (performance.now() < until) {
            const t0 = performance.now();
            await one(reports++);
            reportLatencies.push(performance.now() - t0);
          }
        }),
      ]);
      const primaryCores = round((clusterCpuSeconds(opts.primaryDir) - p1) / opts.mixedSeconds);
      rounds.push({
        mode: m.name,
        reportsAlone: { ...alone, primaryCpuMsPerReport: primaryMs, standbyCpuMsPerReport: standbyMs, serverCpuMsPerReport: serverMs },
        withCreation: {
          creationsPerSecond: round(created / opts.mixedSeconds),
          reportsPerSecond: round(reports / opts.mixedSeconds),
          report: percentiles(reportLatencies),
          primaryCores,
        },
      });
    }
  }
  const summary = Object.fromEntries(
    modes.map((m) => {
      const mine = rounds.filter((r) => r.mode === m.name) as {
        reportsAlone: {
          p50Ms: number;
          p99Ms: number;
          primaryCpuMsPerReport: number;
          standbyCpuMsPerReport: number;
          serverCpuMsPerReport: number;
        };
        withCreation: { creationsPerSecond: number; reportsPerSecond: number; report: { p99Ms: number }; primaryCores: number };
      }[];
      const pick = (f: (r: (typeof mine)[number]) => number) => ({
        median: median(mine.map(f)),
        min: Math.min(...mine.map(f)),
        max: Math.max(...mine.map(f)),
      });
      return [
        m.name,
        {
          primaryCpuMsPerReport: pick((r) => r.reportsAlone.primaryCpuMsPerReport),
          standbyCpuMsPerReport: pick((r) => r.reportsAlone.standbyCpuMsPerReport),
          serverCpuMsPerReport: pick((r) => r.reportsAlone.serverCpuMsPerReport),
          reportP50Ms: pick((r) => r.reportsAlone.p50Ms),
          reportP99Ms: pick((r) => r.reportsAlone.p99Ms),
          creationsPerSecondWithReports: pick((r) => r.withCreation.creationsPerSecond),
          reportsPerSecondWithCreation: pick((r) => r.withCreation.reportsPerSecond),
          reportP99MsWithCreation: pick((r) => r.withCreation.report.p99Ms),
          primaryCoresWithBoth: pick((r) => r.withCreation.primaryCores),
        },
      ];
    }),
  );
  return { reports: REPORTS, rounds, summary };
}
