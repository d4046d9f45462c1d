import type { AiSettings, aiSettingsBody } from "@loopdesk/contracts/knowledge";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

type Row = { enabled: boolean; base_url: string; model: string; api_key_sealed: string | null; timeout_seconds: number };
const OFF: Row = { enabled: false, base_url: "", model: "", api_key_sealed: null, timeout_seconds: 30 };

const readRow = async (db: Executor): Promise<Row> =>
  (await db
    .selectFrom("ai_settings")
    .select(["enabled", "base_url", "model", "api_key_sealed", "timeout_seconds"])
    .where("id", "=", 1)
    .executeTakeFirst()) ?? OFF;

const present = (r: Row): AiSettings => ({
  enabled: r.enabled,
  baseUrl: r.base_url,
  model: r.model,
  hasKey: r.api_key_sealed !== null,
  timeoutSeconds: r.timeout_seconds,
});

export const readAiSettings = async (db: Executor) => present(await readRow(db));

/** Turning it on needs an address and a model; the key is encrypted before it is stored and never answered back. */
export async function saveAiSettings(ctx: AppContext, input: z.infer<typeof aiSettingsBody>) {
  const before = await readRow(ctx.db);
  const next: Row = {
    enabled: input.enabled ?? before.enabled,
    base_url: input.baseUrl ?? before.base_url,
    model: input.model ?? before.model,
    api_key_sealed: input.apiKey === undefined ? before.api_key_sealed : input.apiKey === null ? null : ctx.secrets.seal(input.apiKey),
    timeout_seconds: input.timeoutSeconds ?? before.timeout_seconds,
  };
  if (next.enabled && (!next.base_url || !next.model))
    throw new AppError(400, "validation_failed", "AI assist needs the endpoint's address and a model.", [
      ...(next.base_url ? [] : [{ path: "baseUrl", code: "required", message: "Required to turn AI assist on." }]),
      ...(next.model ? [] : [{ path: "model", code: "required", message: "Required to turn AI assist on." }]),
    ]);
  await (ctx.db as Kysely<DB>)
    .insertInto("ai_settings")
    .values({ id: 1, ...next, updated_at: new Date() })
    .onConflict((oc) => oc.column("id").doUpdateSet({ ...next, updated_at: new Date() }))
    .execute();
  return present(next);
}

/** What a call needs: the endpoint, model, key (decrypted) and timeout; refused when AI assist is off. */
export async function activeAiConfig(ctx: AppContext) {
  const r = await readRow(ctx.db);
  if (!r.enabled || !r.base_url || !r.model) throw new AppError(409, "ai_disabled", "AI assist is not turned on.");
  return {
    baseUrl: r.base_url,
    model: r.model,
    apiKey: r.api_key_sealed ? ctx.secrets.open(r.api_key_sealed) : null,
    timeoutMs: r.timeout_seconds * 1000,
  };
}
