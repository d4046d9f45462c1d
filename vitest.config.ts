import { defineConfig } from "vitest/config";

// expect.poll waits for something asynchronous (a job, a live update, a lock). CI runs every suite at
// once on two cores, so the default second is far too short; speed is measured in benchmarks.
const POLL = { timeout: 30_000, interval: 100 };

// Three tiers: unit tests; integration suites on embedded PGlite (each file its own database);
// the same integration suites on a real PostgreSQL server the harness starts.
const integration = (engine: "pglite" | "postgres") => ({
  test: {
    name: engine,
    include: ["server/test/integration/**/*.test.ts"],
    env: { LOOPDESK_TEST_DB: engine },
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

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["server/test/unit/**/*.test.ts", "contracts/test/**/*.test.ts", "web/test/**/*.test.ts"] } },
      integration("pglite"),
      ...(process.env.LOOPDESK_SKIP_POSTGRES === "1" ? [] : [integration("postgres")]),
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          expect: { poll: POLL },
        },
      },
    ],
  },
});
