import { configDefaults, defineConfig } from "vitest/config";

// expect.poll waits for something asynchronous (a job, a live update, a lock). CI runs every suite at
// once on two cores, so the default second is far too short; speed is measured in benchmarks.
const POLL = { timeout: 30_000, interval: 100 };

// The crash tests kill servers at chosen moments and then wait for clocks and jobs to settle. Beside
// the browser tests on two cores the SLA one failed in three runs of four: its kill came after the
// sweep it meant to interrupt, or its clocks were still being set. Its server now kills itself from
// inside (test/support/kill-on-log.mjs); they run last, two at a time, with nothing else beside them.
const CRASH = "server/test/integration/**/*crash*.test.ts";

// Three tiers: unit tests; integration suites on embedded PGlite (each file its own database);
// the same integration suites on a real PostgreSQL server the harness starts.
const integration = (engine: "pglite" | "postgres", crash = false) => ({
  test: {
    name: crash ? `${engine}-crash` : engine,
    include: crash ? [CRASH] : ["server/test/integration/**/*.test.ts"],
    exclude: crash ? configDefaults.exclude : [...configDefaults.exclude, CRASH],
    // The two engines' crash tests form the last group (projects of one group share its workers).
    ...(crash ? { sequence: { groupOrder: 1 } } : {}),
    // The servers these files start (spawnServer) run compiled, as `npm start` runs them: a start
    // takes about half the time of TypeScript loaded at run time.
    env: { LOOPDESK_TEST_DB: engine, LOOPDESK_TEST_COMPILED: "1" },
    globalSetup: ["server/test/support/global-setup.ts"],
    // A limit catches a hang, not slowness: on a busy machine a test that starts servers and moves
    // workspaces takes over a minute.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    expect: { poll: POLL },
    pool: "forks" as const,
    // One process runs the files one after another without re-importing the server for each (about
    // 1.5 s a file); every file opens its own database, so nothing else is shared.
    isolate: false,
  },
});

const postgres = process.env.LOOPDESK_SKIP_POSTGRES !== "1";

export default defineConfig({
  test: {
    // Two files at a time on the two cores (each file has its own database and server): about 10%
    // less time than one after another. The crash tests follow alone (above).
    maxWorkers: 2,
    projects: [
      { test: { name: "unit", include: ["server/test/unit/**/*.test.ts", "contracts/test/**/*.test.ts", "web/test/**/*.test.ts"] } },
      integration("pglite"),
      ...(postgres ? [integration("postgres")] : []),
      integration("pglite", true),
      ...(postgres ? [integration("postgres", true)] : []),
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          // The servers the browser tests start run compiled, as `npm start` runs them.
          env: { LOOPDESK_TEST_COMPILED: "1" },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          expect: { poll: POLL },
        },
      },
    ],
  },
});
