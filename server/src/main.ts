import path from "node:path";
import { parseArgs } from "node:util";
import { buildApp, createContext } from "./app";
import { ConfigError, loadConfig } from "./config";
import { databaseOptionsFromConfig, openDatabase } from "./db/database";
import { migrateToLatest } from "./db/migrate";
import { firstStart } from "./modules/setup/first-start";
import { seedDemo } from "./modules/setup/seed-demo";
import { rebuildAnalytics, scheduleAnalyticsJobs } from "./modules/analytics/analytics-jobs";
import { scheduleAutomationJobs } from "./modules/automations/automation-jobs";
import { scheduleIntakeJobs } from "./modules/intake/intake-jobs";
import { startSmtpListener } from "./modules/intake/email/smtp-listener";
import { scheduleRoutingJobs } from "./modules/routing/routing-jobs";
import { scheduleOfficialCalendarCheck } from "./modules/sla/official-calendar-jobs";
import { scheduleSlaJobs } from "./modules/sla/sla-jobs";
import { scheduleAuditJobs } from "./modules/audit/audit-jobs";
import { scheduleRetention } from "./modules/privacy/retention";
import { scheduleDirectorySync } from "./modules/sso/sso-jobs";
import { rotateSecrets } from "./modules/system/rotate-secrets";
import { BackupError } from "./modules/portability/backup";
import { scheduleBackups } from "./modules/portability/backups";
import { resumeImports } from "./modules/imports/run-import";
import {
  PORTABILITY_COMMANDS,
  type PortabilityCommand,
  portabilityUsage,
  runPortabilityCommand,
} from "./modules/portability/portability-cli";
import { ArchiveError } from "./modules/portability/workspace-archive";
import { DataDirBusyError, claimDataDir } from "./platform/data-dir-lock";
import { scheduleClassificationJobs } from "./modules/classification/classification-jobs";
import { scheduleProcessJobs } from "./modules/processes/process-jobs";
import { scheduleTicketJobs } from "./modules/tickets/ticket-jobs";
import { createLogger } from "./platform/logger";
import { profileFromHistory } from "./modules/routing/simulator/profile-from-history";
import { watchRoutingDirectory } from "./modules/routing/routing-directory";
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
  // The embedded database is this process's alone while it runs.
  const lock = config.databaseUrl ? undefined : claimDataDir(config.dataDir, command);
  const database = await openDatabase(databaseOptionsFromConfig(config));
  const applied = await migrateToLatest(database.db);
  if (applied.length) logger.info({ applied }, "migrations applied");
  const ctx = createContext(config, database, logger);

  if (command === "migrate") return database.close();
  if (command === "rotate-secrets") {
    logger.info({ rewritten: await rotateSecrets(ctx.db, ctx.secrets) }, "secrets sealed with the current key");
    return database.close();
  }
  if (command === "analytics-rebuild") {
    const started = Date.now();
    const tickets = await rebuildAnalytics(ctx.db, config.timeZone);
    logger.info({ tickets, ms: Date.now() - started }, "analytics rebuilt from ticket history");
    return database.close();
  }
  if (simulation) {
    runSimulation(await profileFromHistory(ctx.db, values["from-db"] as string, config.timeZone, simulation), simulation.out, simulation);
    return database.close();
  }
  if (command === "seed-demo") {
    const summary = await seedDemo(ctx);
    logger.info(summary, "demo workspace added");
    await ctx.jobs.drain();
    return database.close();
  }

  await firstStart(ctx);
  // Web and workers both decide routing (transfers, the queue): each keeps its copy of the directory current.
  const stopWatching = await watchRoutingDirectory(database, ctx.db);
  const app = role === "worker" ? undefined : await buildApp(ctx);
  if (role !== "web") {
    await scheduleTicketJobs(ctx);
    await scheduleSlaJobs(ctx);
    await scheduleProcessJobs(ctx);
    await scheduleClassificationJobs(ctx);
    await scheduleAuditJobs(ctx);
    await scheduleRetention(ctx);
    await scheduleDirectorySync(ctx);
    await scheduleBackups(ctx);
    await resumeImports(ctx);
    await scheduleOfficialCalendarCheck(ctx.db);
    await scheduleAutomationJobs(ctx.db);
    await scheduleAnalyticsJobs(ctx.db);
    await scheduleRoutingJobs(ctx.db);
    await scheduleIntakeJobs(ctx.db);
    await ctx.jobs.start();
  }
  if (app) {
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    lock?.setPort(typeof address === "object" && address ? address.port : config.port);
    const shown = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    logger.info(`Loopdesk is running at http://${shown}:${config.port} (${database.engine})`);
  }
  // Inbound mail is received where HTTP is served (a worker-only process opens no ports).
  const smtp =
    app && config.smtpInbound ? await startSmtpListener(ctx, { ...config.smtpInbound, maxBytes: config.maxEmailBytes }) : undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await smtp?.close();
    await app?.close();
    await ctx.jobs.stop();
    await stopWatching();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
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
