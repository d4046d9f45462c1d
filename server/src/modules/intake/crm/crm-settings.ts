import type { CrmSettings, CrmSettingsBody } from "@loopdesk/contracts/intake";
import { sql } from "kysely";
import type { Executor } from "../../../platform/jobs/job-queue";

const KEY = "crm_lookup";
type Stored = Omit<CrmSettingsBody, "authHeaderValue"> & { authHeaderValue: string };

const DEFAULTS: Stored = {
  enabled: false,
  urlTemplate: "",
  authHeaderName: "",
  authHeaderValue: "",
  recordsPath: "",
  columns: [],
  fill: [],
  cacheMinutes: 10,
  timeoutMs: 5000,
};

/** The stored settings, the header's secret value included (for the lookup only). */
export async function crmSettingsWithSecret(db: Executor): Promise<Stored> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  return { ...DEFAULTS, ...((row?.value ?? {}) as Partial<Stored>) };
}

/** What the console sees: everything but the header's value. */
export async function getCrmSettings(db: Executor): Promise<CrmSettings> {
  const { authHeaderValue, ...rest } = await crmSettingsWithSecret(db);
  return { ...rest, authHeaderSet: authHeaderValue !== "" };
}

export async function saveCrmSettings(db: Executor, body: CrmSettingsBody) {
  const current = await crmSettingsWithSecret(db);
  const next: Stored = { ...body, authHeaderValue: body.authHeaderValue ?? current.authHeaderValue };
  await db
    .insertInto("settings")
    .values({ key: KEY, value: JSON.stringify(next) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(next), updated_at: sql`now()` }))
    .execute();
  await db.deleteFrom("crm_lookup_cache").execute(); // other URL or mapping: old answers no longer apply
  return getCrmSettings(db);
}
