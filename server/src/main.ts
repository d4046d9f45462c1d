import path from "node:path";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { ConfigError, loadConfig } from "./config";
import { BackupError } from "./modules/portability/backup";
import {
  PORTABILITY_COMMANDS,
  type PortabilityCommand,
  portabilityUsage,
  runPortabilityCommand,
} from "./modules/portability/portability-cli";
import { ArchiveError } from "./modules/portability/workspace-archive";
import { DataDirBusyError } from "./platform/data-dir-lock";
import { createLogger } from "./platform/logger";
import { runSimulation } from "./modules/routing/simulator/run-simulation";
import { generatedProfile } from "./modules/routing/simulator/simulation-profile";

const usage = `Usage: loopdesk <command> [options]

Commands:
  start [--role all|web|worker]   run the server (default: web + workers in one process)
  migrate                         apply database migrations and exit
  seed-demo                       add the demo workspace (Chinese demo data) and exit
  analytics-rebuild               rebuild report facts and rollups from the ticket history and exit
  rotate-secrets                  seal every stored secret with LOOPDESK_SECRET_KEY (old keys in
                                  LOOPDESK_SECRET_KEY_PREVIOUS) and exit
  simulate [options]              compare routing strategies on a simulated day and save the comparison
      --tickets N                 a generated day of N tickets (default 50000)
      --agents N                  agents in the generated day (default 700 per 50,000 tickets)
      --from-db YYYY-MM-DD        replay that day's arrivals, categories and agents from the database instead
      --sla-minutes N             first-response target (default 30)
      --seed N                    random seed (default 1)
      --out DIR                   where to save (default DATA_DIR/simulations/<time>)
${portabilityUsage}`;

/**
 * V8 lets the heap grow to a multiple of what is live (up to 4× on a machine with much memory)
 * before it collects; for a server whose live heap is 150 MB that is hundreds of MB of garbage held
 * as resident memory (an import's parsing and writes made RSS swing by 250 MB). A growth factor
 * of 1 + LOOPDESK_HEAP_GROWTH_PERCENT/100 (default 50) keeps the footprint near what is live,
 * for more frequent collections.
 */
const heapGrowth = Number(process.env.LOOPDESK_HEAP_GROWTH_PERCENT ?? 50);
if (Number.isInteger(heapGrowth) && heapGrowth > 0) v8.setFlagsFromString(`--heap-growing-percent=${heapGrowth}`);

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: "string", default: "all" },
      help: { type: "boolean", short: "h" },
      tickets: { type: "string" },
      agents: { type: "string" },
      "from-db": { type: "string" },
      "sla-minutes": { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      to: { type: "string" },
    },
  });
  const command = positionals[0] ?? "start";
  const commands = ["start", "migrate", "seed-demo", "analytics-rebuild", "rotate-secrets", "simulate", ...PORTABILITY_COMMANDS];
  if (values.help || !commands.includes(command)) {
    process.stdout.write(usage);
    process.exit(values.help ? 0 : 2);
  }
  const role = values.role as "all" | "web" | "worker";
  if (!["all", "web", "worker"].includes(role)) throw new ConfigError(`--role must be all, web or worker (got ${role})`);

  const config = loadConfig(process.env, { role });
  const logger = createLogger(config.logLevel);
  const simulation = command === "simulate" ? simulationOptions(values, config.dataDir) : undefined;
  if (simulation && !values["from-db"]) return void runSimulation(generatedProfile(simulation), simulation.out, simulation);
  if ((PORTABILITY_COMMANDS as readonly string[]).includes(command))
    return runPortabilityCommand(command as PortabilityCommand, { positionals, out: values.out, to: values.to }, config);
  // Everything else needs the whole server: loaded only now (the data commands above start fast).
  const { runServerCommand } = await import("./run-server");
  return runServerCommand(command, config, logger, { simulation, fromDb: values["from-db"] as string | undefined });
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirBusyError || err instanceof ArchiveError || err instanceof BackupError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});

/** Options of `loopdesk simulate`, checked. */
function simulationOptions(values: Record<string, string | boolean | undefined>, dataDir: string) {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ConfigError(`--${name} must be a whole number from ${min} to ${max} (got ${raw})`);
    return n;
  };
  const date = values["from-db"];
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(date)))
    throw new ConfigError(`--from-db must be a date YYYY-MM-DD (got ${date})`);
  const tickets = int("tickets", 50_000, 1, 2_000_000);
  return {
    tickets,
    agents: values.agents !== undefined ? int("agents", 0, 1, 100_000) : undefined,
    slaMinutes: int("sla-minutes", 30, 1, 100_000),
    seed: int("seed", 1, 0, 2 ** 31),
    out: typeof values.out === "string" ? values.out : path.join(dataDir, "simulations", new Date().toISOString().replace(/[:.]/g, "-")),
  };
}
