import { createHmac } from "node:crypto";
import { sql } from "kysely";
import type { AppContext } from "../../platform/context";
import { enqueue } from "../../platform/jobs/job-queue";
import { presentAuditEntry } from "./audit-search";
import { streamTargets } from "./audit-settings";
import { sendSyslog, syslogMessage } from "./syslog";

export const STREAM_QUEUE = "audit.stream";
export const RETENTION_QUEUE = "audit.retention";
const STREAM_EVERY_MS = 10_000;
const BATCH = 200;
const TIMEOUT_MS = 10_000;

/** Plans the next stream run (once per slot, however many ask). */
export const scheduleAuditStream = (ctx: AppContext, inMs = STREAM_EVERY_MS) => {
  const at = new Date(Math.ceil((Date.now() + inMs) / 1000) * 1000);
  return enqueue(ctx.db, STREAM_QUEUE, {}, { runAt: at, dedupeKey: `audit-stream:${at.toISOString()}` });
};

/**
 * The audit log leaves the building for a SIEM: new entries are POSTed in batches to the stream
 * address (JSON `{ entries }`, signed like webhooks: `X-Loopdesk-Signature: sha256=HMAC(secret,
 * "<timestamp>.<body>")`) and sent to syslog, in order, at least once (the last delivered id is
 * kept; a failure is retried at the next run). A daily job deletes entries past the retention
 * period — the only deletion the table allows.
 */
export function registerAuditJobs(ctx: AppContext) {
  ctx.jobs.defineLeased({
    queue: STREAM_QUEUE,
    leaseMs: 120_000,
    maxAttempts: 1,
    run: async (_payload, { db, logger }) => {
      const targets = await streamTargets(ctx);
      if (!targets.url && !targets.syslog) return; // streaming turned off: no next run
      const rows = await db
        .selectFrom("audit_log")
        .selectAll()
        .where("id", ">", targets.streamedUntil)
        .orderBy("id")
        .limit(BATCH)
        .execute();
      try {
        if (rows.length > 0) {
          const entries = rows.map(presentAuditEntry);
          if (targets.url) await postEntries(targets.url, targets.secret, entries);
          if (targets.syslog)
            await sendSyslog(
              targets.syslog,
              entries.map((e) => syslogMessage(e)),
            );
          const last = Number(rows[rows.length - 1]?.id);
          await db
            .updateTable("audit_settings")
            .set({ streamed_until: last })
            .where("id", "=", 1)
            .where("streamed_until", "<", last)
            .execute();
        }
      } catch (err) {
        logger.warn({ err: String((err as Error).message ?? err) }, "audit stream delivery failed; retried at the next run");
      }
      await scheduleAuditStream(ctx, rows.length === BATCH ? 0 : STREAM_EVERY_MS);
    },
  });

  ctx.jobs.define({
    queue: RETENTION_QUEUE,
    handler: async (_payload, { trx }) => {
      await trx
        .deleteFrom("audit_log")
        .where("at", "<", sql<Date>`now() - make_interval(days => (select retention_days from audit_settings where id = 1))`)
        .execute();
      const next = new Date(Date.now() + 86_400_000);
      await enqueue(trx, RETENTION_QUEUE, {}, { runAt: next, dedupeKey: `audit-retention:${next.toISOString().slice(0, 10)}` });
    },
  });
}

async function postEntries(url: string, secret: string | null, entries: unknown[]) {
  const body = JSON.stringify({ entries });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": "Loopdesk-Audit/1",
    "X-Loopdesk-Timestamp": timestamp,
  };
  if (secret) headers["X-Loopdesk-Signature"] = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
  const res = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status < 200 || res.status >= 300) throw new Error(`stream ${url} answered HTTP ${res.status}`);
}

/** At start: the retention job, and the stream when one is configured. */
export async function scheduleAuditJobs(ctx: AppContext) {
  const next = new Date(Date.now() + 3_600_000);
  await enqueue(ctx.db, RETENTION_QUEUE, {}, { runAt: next, dedupeKey: `audit-retention:${next.toISOString().slice(0, 10)}` });
  await scheduleAuditStream(ctx, 1_000);
}
