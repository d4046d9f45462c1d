import fs from "node:fs";
import path from "node:path";
import { type AuditActor, SYSTEM, recordAudit } from "../../platform/audit/audit-log";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import { enqueue } from "../../platform/jobs/job-queue";
import { type BackupInfo, backupWorkspace, listBackups } from "./backup";

const BACKUP_QUEUE = "portability.backup";

export const PG_BACKUP_POINTER =
  "Backups of a PostgreSQL workspace are made with PostgreSQL's own tools (pg_dump for a logical dump, pg_basebackup with WAL archiving for point-in-time recovery): see docs/data.md.";

/** Backups are made of the embedded engine's data directory (an in-memory database has none). */
const backupsPossible = (ctx: AppContext) => ctx.engine === "pglite" && fs.existsSync(path.join(ctx.config.dataDir, "pg"));

export const backupsUnsupported = (ctx: AppContext) =>
  new AppError(
    409,
    "backup_not_supported",
    ctx.engine === "pglite" ? "This embedded database is kept in memory: there is nothing on disk to back up." : PG_BACKUP_POINTER,
  );

/** A backup now (the embedded engine only), recorded in the audit log. */
export async function runBackup(ctx: AppContext, actor: AuditActor = SYSTEM): Promise<BackupInfo> {
  if (!backupsPossible(ctx)) throw backupsUnsupported(ctx);
  try {
    const info = await backupWorkspace(ctx.db, ctx.config.dataDir, ctx.config.backup.dir, ctx.config.backup.keep);
    await recordAudit(ctx.db, { action: "backups.create", actor, target: { type: "backup", id: info.name }, detail: { ...info } });
    return info;
  } catch (e) {
    await recordAudit(ctx.db, { action: "backups.create", actor, outcome: "failed", detail: { error: (e as Error).message } });
    throw e;
  }
}

export function backupOverview(ctx: AppContext) {
  const { dir, intervalHours, keep } = ctx.config.backup;
  const supported = backupsPossible(ctx);
  return { supported, dir, intervalHours, keep, items: supported ? listBackups(dir) : [] };
}

/** Scheduled backups: every LOOPDESK_BACKUP_INTERVAL_HOURS after the newest one (none: soon after start). */
export function registerBackupJobs(ctx: AppContext) {
  ctx.jobs.defineLeased({
    queue: BACKUP_QUEUE,
    leaseMs: 3_600_000,
    maxAttempts: 3,
    run: async (_payload, { logger }) => {
      const info = await runBackup(ctx);
      logger.info({ backup: info.name, pausedMs: info.pausedMs, tookMs: info.tookMs }, "scheduled backup made");
      await scheduleBackups(ctx);
    },
  });
}

export async function scheduleBackups(ctx: AppContext) {
  const { intervalHours, dir } = ctx.config.backup;
  if (!backupsPossible(ctx) || intervalHours <= 0) return;
  const newest = listBackups(dir)[0];
  const due = newest ? new Date(newest.createdAt).getTime() + intervalHours * 3_600_000 : Date.now() + 10 * 60_000;
  const at = new Date(Math.max(due, Date.now() + 60_000));
  // One pending scheduled backup, whatever the number of restarts.
  await ctx.db.deleteFrom("jobs").where("queue", "=", BACKUP_QUEUE).where("status", "=", "queued").execute();
  await enqueue(ctx.db, BACKUP_QUEUE, {}, { runAt: at, dedupeKey: `backup:${at.toISOString().slice(0, 16)}` });
}
