import { forgetPrincipals } from "../../platform/auth/principal-cache";
import type { AppContext } from "../../platform/context";
import { enqueue } from "../../platform/jobs/job-queue";
import { recordAudit } from "../../platform/audit/audit-log";
import { ldapMissing } from "./ldap-directory";
import { ssoRow } from "./sso-settings";

export const DIRECTORY_SYNC_QUEUE = "sso.directory-sync";

/**
 * Every LOOPDESK_DIRECTORY_SYNC_SECONDS (5 minutes by default): staff who came from LDAP and are no longer found there (deleted, moved out, or disabled — kept
 * out by the user filter) are deactivated and signed out everywhere: their next request answers
 * 401. A directory that does not answer signs nobody out.
 */
export async function syncDirectory(ctx: AppContext) {
  const row = await ssoRow(ctx.db);
  if (!row.ldap_enabled) return { deactivated: 0 };
  const people = await ctx.db
    .selectFrom("staff")
    .select(["id", "email", "name"])
    .where("sso_source", "=", "ldap")
    .where("active", "=", true)
    .where("break_glass", "=", false)
    .execute();
  if (people.length === 0) return { deactivated: 0 };
  const missing = new Set(await ldapMissing(ctx, row, people));
  let deactivated = 0;
  for (const p of people.filter((x) => missing.has(x.email))) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable("staff").set({ active: false, updated_at: new Date() }).where("id", "=", p.id).execute();
      await trx.deleteFrom("sessions").where("principal_type", "=", "staff").where("principal_id", "=", p.id).execute();
      await recordAudit(trx, {
        action: "staff.update",
        actor: { type: "system", name: "LDAP" },
        target: { type: "staff", id: p.id, name: p.email },
        before: { active: true },
        after: { active: false },
        detail: { reason: "not_in_directory" },
      });
    });
    forgetPrincipals(ctx.db);
    deactivated++;
  }
  return { deactivated };
}

export function registerSsoJobs(ctx: AppContext) {
  ctx.jobs.defineLeased({
    queue: DIRECTORY_SYNC_QUEUE,
    leaseMs: 120_000,
    maxAttempts: 1,
    run: async (_payload, { logger }) => {
      try {
        const { deactivated } = await syncDirectory(ctx);
        if (deactivated) logger.info({ deactivated }, "staff no longer in the directory were signed out");
      } catch (err) {
        logger.warn({ err: String((err as Error).message ?? err) }, "directory check failed; retried at the next run");
      }
      await scheduleDirectorySync(ctx);
    },
  });
}

export async function scheduleDirectorySync(ctx: AppContext, inMs = ctx.config.directorySyncSeconds * 1000) {
  const at = new Date(Math.ceil((Date.now() + inMs) / 10_000) * 10_000);
  await enqueue(ctx.db, DIRECTORY_SYNC_QUEUE, {}, { runAt: at, dedupeKey: `directory-sync:${at.toISOString()}` });
}
