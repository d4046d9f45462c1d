import type { Config } from "./config";
import { buildApp, createContext } from "./app";
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
import { scheduleBackups } from "./modules/portability/backups";
import { resumeImports } from "./modules/imports/run-import";
import { scheduleClassificationJobs } from "./modules/classification/classification-jobs";
import { scheduleProcessJobs } from "./modules/processes/process-jobs";
import { scheduleTicketJobs } from "./modules/tickets/ticket-jobs";
import { scheduleEmbeddedUpkeep } from "./platform/jobs/embedded-upkeep";
import { profileFromHistory } from "./modules/routing/simulator/profile-from-history";
import { watchPrincipals } from "./platform/auth/principal-cache";
import { watchRoutingDirectory } from "./modules/routing/routing-directory";
import { runSimulation } from "./modules/routing/simulator/run-simulation";
import { claimDataDir } from "./platform/data-dir-lock";
import type { Logger } from "pino";

/** The commands that open the database with the whole server loaded: start, migrate, seed-demo, … */
export async function runServerCommand(
  command: string,
  config: Config,
  logger: Logger,
  opts: { simulation?: { tickets: number; agents?: number; slaMinutes: number; seed: number; out: string }; fromDb?: string },
) {
  const { simulation } = opts;
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
    runSimulation(await profileFromHistory(ctx.db, opts.fromDb as string, config.timeZone, simulation), simulation.out, simulation);
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
  // Who a token or session stands for is kept per process too: dropped when staff or tokens change.
  const stopWatchingPrincipals = await watchPrincipals(database, ctx.db);
  const app = config.role === "worker" ? undefined : await buildApp(ctx);
  if (config.role !== "web") {
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
    await scheduleEmbeddedUpkeep(ctx);
    // Pokes from web processes wake the workers (realtime-hub.ts); buildApp starts it where there is HTTP.
    await ctx.realtime.start();
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
    await ctx.realtime.stop();
    await ctx.jobs.stop();
    await stopWatching();
    await stopWatchingPrincipals();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
