import { type Kysely, type Migration, Migrator, sql } from "kysely";
import * as m0001 from "./migrations/2026-11-21-0001-initial";
import * as m0002 from "./migrations/2026-11-22-0002-queue-indexes";
import * as m0003 from "./migrations/2026-11-22-0003-ticket-presence";
import * as m0004 from "./migrations/2026-11-22-0004-views-and-canned-replies";
import * as m0005 from "./migrations/2026-11-22-0005-field-categories";
import * as m0006 from "./migrations/2026-11-22-0006-login-codes";
import * as m0007 from "./migrations/2026-11-22-0007-staff-invitations";
import * as m0008 from "./migrations/2026-11-22-0008-sla";
import * as m0009 from "./migrations/2026-11-22-0009-urges-and-notifications";
import * as m0010 from "./migrations/2026-11-22-0010-sla-warnings";
import * as m0011 from "./migrations/2026-11-23-0011-automations";
import * as m0012 from "./migrations/2026-11-23-0012-closing-the-loop";
import * as m0013 from "./migrations/2026-11-23-0013-follow-up-visits";
import * as m0014 from "./migrations/2026-11-24-0014-analytics";
import * as m0015 from "./migrations/2026-11-24-0015-report-schedules";
import * as m0016 from "./migrations/2026-11-24-0016-coarser-rollups";
import * as m0017 from "./migrations/2026-11-24-0017-rollup-slice-indexes";
import * as m0018 from "./migrations/2026-11-25-0018-routing";
import * as m0019 from "./migrations/2026-11-25-0019-agent-load-counters";
import * as m0020 from "./migrations/2026-11-26-0020-email-intake";
import * as m0021 from "./migrations/2026-11-26-0021-calls";
import * as m0022 from "./migrations/2026-11-26-0022-duplicate-tickets";
import * as m0023 from "./migrations/2026-11-26-0023-ticket-templates";
import * as m0024 from "./migrations/2026-11-26-0024-widget";
import * as m0025 from "./migrations/2026-11-26-0025-im-channels";
import * as m0026 from "./migrations/2026-11-26-0026-crm-lookup";
import * as m0027 from "./migrations/2026-11-27-0027-agent-load-by-category";
import * as m0028 from "./migrations/2026-11-27-0028-widget-csat";
import * as m0029 from "./migrations/2026-11-28-0029-description-html";
import * as m0030 from "./migrations/2026-11-28-0030-analytics-team";
import * as m0031 from "./migrations/2026-11-28-0031-analytics-stages";
import * as m0032 from "./migrations/2026-11-28-0032-analytics-stage-tickets";
import * as m0033 from "./migrations/2026-11-28-0033-open-load-index";
import * as m0034 from "./migrations/2026-11-29-0034-agent-state-version";
import * as m0035 from "./migrations/2026-11-30-0035-routing-directory-notify";
import * as m0036 from "./migrations/2026-12-04-0036-ticket-participants";
import * as m0037 from "./migrations/2026-12-04-0037-team-presence-mode";
import * as m0038 from "./migrations/2026-12-04-0038-sla-outcome-times";
import * as m0039 from "./migrations/2026-12-04-0039-staff-preferences";
import * as m0040 from "./migrations/2026-12-04-0040-official-calendar-days";
import * as m0041 from "./migrations/2026-12-04-0041-bulk-changes";
import * as m0042 from "./migrations/2026-12-04-0042-processes";
import * as m0043 from "./migrations/2026-12-04-0043-classifier";
import * as m0044 from "./migrations/2026-12-04-0044-macros";
import * as m0045 from "./migrations/2026-12-04-0045-knowledge";
import * as m0046 from "./migrations/2026-12-04-0046-ai-assist";
import * as m0047 from "./migrations/2026-12-04-0047-audit-log";
import * as m0048 from "./migrations/2026-12-04-0048-sessions-and-scopes";
import * as m0049 from "./migrations/2026-12-04-0049-two-factor";
import * as m0050 from "./migrations/2026-12-04-0050-rate-limits";
import * as m0051 from "./migrations/2026-12-04-0051-privacy";
import * as m0052 from "./migrations/2026-12-04-0052-single-sign-on";
import * as m0053 from "./migrations/2026-12-04-0053-passkeys";
import * as m0054 from "./migrations/2026-12-04-0054-workspace-exports";
import * as m0055 from "./migrations/2026-12-04-0055-imports";
import * as m0056 from "./migrations/2026-12-05-0056-helpdesk-imports";
import * as m0057 from "./migrations/2026-12-05-0057-phone-fragments";
import * as m0058 from "./migrations/2026-12-05-0058-ticket-index-review";
import * as m0059 from "./migrations/2026-12-05-0059-unassigned-queue-index";
import * as m0060 from "./migrations/2026-12-06-0060-principal-notify";
import * as m0061 from "./migrations/2026-12-07-0061-ticket-text-features";

// Listed explicitly (no directory scan) so the set of migrations is visible and bundler-safe.
const migrations: Record<string, Migration> = {
  "2026-11-21-0001-initial": m0001,
  "2026-11-22-0002-queue-indexes": m0002,
  "2026-11-22-0003-ticket-presence": m0003,
  "2026-11-22-0004-views-and-canned-replies": m0004,
  "2026-11-22-0005-field-categories": m0005,
  "2026-11-22-0006-login-codes": m0006,
  "2026-11-22-0007-staff-invitations": m0007,
  "2026-11-22-0008-sla": m0008,
  "2026-11-22-0009-urges-and-notifications": m0009,
  "2026-11-22-0010-sla-warnings": m0010,
  "2026-11-23-0011-automations": m0011,
  "2026-11-23-0012-closing-the-loop": m0012,
  "2026-11-23-0013-follow-up-visits": m0013,
  "2026-11-24-0014-analytics": m0014,
  "2026-11-24-0015-report-schedules": m0015,
  "2026-11-24-0016-coarser-rollups": m0016,
  "2026-11-24-0017-rollup-slice-indexes": m0017,
  "2026-11-25-0018-routing": m0018,
  "2026-11-25-0019-agent-load-counters": m0019,
  "2026-11-26-0020-email-intake": m0020,
  "2026-11-26-0021-calls": m0021,
  "2026-11-26-0022-duplicate-tickets": m0022,
  "2026-11-26-0023-ticket-templates": m0023,
  "2026-11-26-0024-widget": m0024,
  "2026-11-26-0025-im-channels": m0025,
  "2026-11-26-0026-crm-lookup": m0026,
  "2026-11-27-0027-agent-load-by-category": m0027,
  "2026-11-27-0028-widget-csat": m0028,
  "2026-11-28-0029-description-html": m0029,
  "2026-11-28-0030-analytics-team": m0030,
  "2026-11-28-0031-analytics-stages": m0031,
  "2026-11-28-0032-analytics-stage-tickets": m0032,
  "2026-11-28-0033-open-load-index": m0033,
  "2026-11-29-0034-agent-state-version": m0034,
  "2026-11-30-0035-routing-directory-notify": m0035,
  "2026-12-04-0036-ticket-participants": m0036,
  "2026-12-04-0037-team-presence-mode": m0037,
  "2026-12-04-0038-sla-outcome-times": m0038,
  "2026-12-04-0039-staff-preferences": m0039,
  "2026-12-04-0040-official-calendar-days": m0040,
  "2026-12-04-0041-bulk-changes": m0041,
  "2026-12-04-0042-processes": m0042,
  "2026-12-04-0043-classifier": m0043,
  "2026-12-04-0044-macros": m0044,
  "2026-12-04-0045-knowledge": m0045,
  "2026-12-04-0046-ai-assist": m0046,
  "2026-12-04-0047-audit-log": m0047,
  "2026-12-04-0048-sessions-and-scopes": m0048,
  "2026-12-04-0049-two-factor": m0049,
  "2026-12-04-0050-rate-limits": m0050,
  "2026-12-04-0051-privacy": m0051,
  "2026-12-04-0052-single-sign-on": m0052,
  "2026-12-04-0053-passkeys": m0053,
  "2026-12-04-0054-workspace-exports": m0054,
  "2026-12-04-0055-imports": m0055,
  "2026-12-05-0056-helpdesk-imports": m0056,
  "2026-12-05-0057-phone-fragments": m0057,
  "2026-12-05-0058-ticket-index-review": m0058,
  "2026-12-05-0059-unassigned-queue-index": m0059,
  "2026-12-06-0060-principal-notify": m0060,
  "2026-12-07-0061-ticket-text-features": m0061,
};

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
const migrator = (db: Kysely<any>) =>
  new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
  });

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Applies migrations up to and including `name` (a workspace archive is loaded into its own schema). */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateUpTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await migrator(db).migrateTo(name);
  if (error) throw error;
}

export const knownMigrations = () => Object.keys(migrations).sort();

/** The migrations this database has applied, oldest first (none on a new database). */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  const list = await migrator(db).getMigrations();
  return list.filter((m) => m.executedAt).map((m) => m.name);
}

/** The newest migration this database has applied (one query: cheap beside live traffic). */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function schemaVersion(db: Kysely<any>): Promise<string | undefined> {
  const r = await sql<{ name: string }>`select name from schema_migrations order by name desc limit 1`.execute(db);
  return r.rows[0]?.name;
}
