import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnServer } from "../../server/test/support/spawn-server";
import { generateCorpus } from "./classification-corpus";
import { load, round } from "./load";
import { rssMiB } from "./portability-bench";
import { dirSize } from "./scale-bench";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;

const mib = (bytes: number) => round(bytes / 2 ** 20);

/**
 * Issue 23: the compiled server (as `npm start` runs it) on the embedded engine — a first start
 * with the demo, restarts of a workspace without it, idle memory, and the data directory's size
 * per 1,000 tickets.
 */
export async function benchStartup(opts: {
  quick: boolean;
  admin: { email: string; password: string };
  client: (url: string, email: string, password: string) => Promise<Api>;
}) {
  const env = (dataDir: string, demo: boolean) => ({
    DATA_DIR: dataDir,
    LOOPDESK_ADMIN_EMAIL: opts.admin.email,
    LOOPDESK_ADMIN_PASSWORD: opts.admin.password,
    LOOPDESK_DEMO: String(demo),
    LOG_LEVEL: "warn",
  });
  const timed = async (dataDir: string, demo: boolean) => {
    const t0 = performance.now();
    const server = await spawnServer(env(dataDir, demo), { compiled: true, template: false, timeoutMs: 600_000 });
    return { server, ms: round(performance.now() - t0) };
  };
  const dirs: string[] = [];
  const tempDir = (name: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `loopdesk-bench-${name}-`));
    dirs.push(d);
    return d;
  };
  try {
    // A first start with the demo: migrations, then the demo workspace seeded, then healthy.
    const demoDir = tempDir("start-demo");
    const first = await timed(demoDir, true);
    await first.server.stop();
    const demoRestart = await timed(demoDir, true);
    const demoRss = rssMiB(demoRestart.server.child.pid as number);
    await demoRestart.server.stop();
    const demoDataMiB = mib(dirSize(path.join(demoDir, "pg")));

    // A workspace without the demo: its first start, then restarts (the median of three), idle memory.
    const dir = tempDir("start");
    const empty = await timed(dir, false);
    await empty.server.stop();
    const restarts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const again = await timed(dir, false);
      restarts.push(again.ms);
      if (i < 2) await again.server.stop();
      else {
        await new Promise((r) => setTimeout(r, 10_000));
        const idle = rssMiB(again.server.child.pid as number);
        // The data directory's growth per 1,000 tickets, each with a reply (as the API writes them).
        const api = await opts.client(again.server.url, opts.admin.email, opts.admin.password);
        const before = dirSize(path.join(dir, "pg"));
        const n = opts.quick ? 300 : 2000;
        const corpus = generateCorpus(n, 7);
        await load(n, 4, async (k) => {
          const text = corpus[k]?.text ?? "";
          const t = (await api("POST", "/api/v1/tickets", {
            subject: text.slice(0, 20),
            description: text,
            customer: { email: `size${k % 500}@example.cn` },
          })) as { id: number };
          await api("POST", `/api/v1/tickets/${t.id}/messages`, { body: "您好，已收到您的问题，我们正在处理，请耐心等待。" });
        });
        await new Promise((r) => setTimeout(r, 3000)); // the workers finish what the creations left
        const afterRss = rssMiB(again.server.child.pid as number);
        await again.server.stop();
        const after = dirSize(path.join(dir, "pg"));
        restarts.sort((a, b) => a - b);
        return {
          firstStartWithDemoMs: first.ms,
          restartWithDemoMs: demoRestart.ms,
          demoRssMiB: demoRss,
          demoDataDirMiB: demoDataMiB,
          firstStartMs: empty.ms,
          restartMs: restarts[1] as number,
          restartSpreadMs: [restarts[0] as number, restarts[2] as number],
          idleRssMiB: idle,
          rssAfterTicketsMiB: afterRss,
          dataDirMiBPer1000Tickets: round(mib(after - before) / (n / 1000)),
          ticketsForSize: n,
        };
      }
    }
    throw new Error("unreachable");
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
