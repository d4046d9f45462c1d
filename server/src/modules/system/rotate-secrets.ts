import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { SecretBox } from "../../platform/auth/secret-box";
import { IM_SECRET_SETTINGS } from "../intake/im/im-channel-service";

/** Every column that holds a secret, by table (each table has an id). */
const SECRET_COLUMNS = [
  { table: "ai_settings", column: "api_key_sealed" },
  { table: "audit_settings", column: "stream_secret_sealed" },
  { table: "staff", column: "totp_secret_sealed" },
  { table: "staff", column: "totp_pending_sealed" },
  { table: "webhooks", column: "secret" },
  { table: "mailboxes", column: "imap_password" },
  { table: "sso_settings", column: "oidc_client_secret_sealed" },
  { table: "sso_settings", column: "ldap_bind_password_sealed" },
  { table: "import_jobs", column: "secret_sealed" },
] as const;

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/**
 * Seals every stored secret with the box's current key: values sealed with a previous key
 * (LOOPDESK_SECRET_KEY_PREVIOUS) and values stored before sealing existed. Afterwards the
 * previous keys can be dropped. Answers how many values were rewritten per column.
 */
export async function rotateSecrets(db: Kysely<DB>, box: SecretBox) {
  const rewritten: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    const t = trx as unknown as AnyDb;
    for (const { table, column } of SECRET_COLUMNS) {
      let n = 0;
      const rows = (await t.selectFrom(table).select(["id", column]).where(column, "is not", null).forUpdate().execute()) as {
        id: number;
        [k: string]: unknown;
      }[];
      for (const row of rows) {
        const stored = row[column] as string;
        if (stored === "") continue;
        const next = box.reseal(stored);
        if (next === undefined) continue;
        await t
          .updateTable(table)
          .set({ [column]: next })
          .where("id", "=", row.id)
          .execute();
        n++;
      }
      rewritten[`${table}.${column}`] = n;
    }
    // IM channels keep their secrets among other settings in one JSON column.
    let n = 0;
    for (const row of await trx.selectFrom("im_channels").select(["id", "config"]).forUpdate().execute()) {
      const config: Record<string, string> = { ...row.config };
      let changed = false;
      for (const [k, v] of Object.entries(config)) {
        const next = IM_SECRET_SETTINGS.has(k) && v ? box.reseal(v) : undefined;
        if (next === undefined) continue;
        config[k] = next;
        changed = true;
      }
      if (!changed) continue;
      await trx
        .updateTable("im_channels")
        .set({ config: JSON.stringify(config) })
        .where("id", "=", row.id)
        .execute();
      n++;
    }
    rewritten["im_channels.config"] = n;
  });
  return rewritten;
}
