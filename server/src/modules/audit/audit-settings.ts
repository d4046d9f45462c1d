import type { AuditSettings } from "@loopdesk/contracts/security";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";

const read = (db: Kysely<DB>) => db.selectFrom("audit_settings").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();

export async function getAuditSettings(db: Kysely<DB>): Promise<AuditSettings> {
  const r = await read(db);
  return {
    retentionDays: r.retention_days,
    streamUrl: r.stream_url,
    hasStreamSecret: r.stream_secret_sealed !== null,
    syslogTarget: r.syslog_target,
    streamedUntil: Number(r.streamed_until),
  };
}

/** Where the stream goes, with its secret opened (for the stream job only). */
export async function streamTargets(ctx: AppContext) {
  const r = await read(ctx.db);
  return {
    url: r.stream_url,
    secret: r.stream_secret_sealed ? ctx.secrets.open(r.stream_secret_sealed) : null,
    syslog: r.syslog_target,
    streamedUntil: Number(r.streamed_until),
  };
}

export async function updateAuditSettings(
  ctx: AppContext,
  input: { retentionDays?: number; streamUrl?: string | null; streamSecret?: string | null; syslogTarget?: string | null },
) {
  const streaming = input.streamUrl !== undefined || input.syslogTarget !== undefined;
  const latest = streaming
    ? await ctx.db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.max("id").as("id"))
        .executeTakeFirst()
    : undefined;
  await ctx.db
    .updateTable("audit_settings")
    .set({
      ...(input.retentionDays !== undefined ? { retention_days: input.retentionDays } : {}),
      ...(input.streamUrl !== undefined ? { stream_url: input.streamUrl } : {}),
      ...(input.syslogTarget !== undefined ? { syslog_target: input.syslogTarget } : {}),
      ...(input.streamSecret !== undefined
        ? { stream_secret_sealed: input.streamSecret === null ? null : ctx.secrets.seal(input.streamSecret) }
        : {}),
      // A new destination starts with what happens from now on (not the whole history).
      ...(streaming ? { streamed_until: Number(latest?.id ?? 0) } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", 1)
    .execute();
  return getAuditSettings(ctx.db);
}
