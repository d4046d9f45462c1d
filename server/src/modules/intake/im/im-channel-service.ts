import { type ImChannel, type ImChannelBody, imSecretKeys } from "@loopdesk/contracts/intake";
import type { Selectable } from "kysely";
import type { ImChannelsTable } from "../../../db/schema-intake";
import { NotFoundError, ValidationError } from "../../../platform/errors";
import type { SecretBox } from "../../../platform/auth/secret-box";
import type { Executor } from "../../../platform/jobs/job-queue";

type Row = Selectable<ImChannelsTable>;

export const presentImChannel = (r: Row): ImChannel => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  active: r.active,
  configured: Object.keys(r.config ?? {}).filter((k) => (r.config[k] ?? "") !== ""),
  apiBase: r.api_base,
  callbackPath: `/api/v1/channels/${r.id}/callback`,
  createdAt: r.created_at.toISOString(),
});

export async function listImChannels(db: Executor) {
  return (await db.selectFrom("im_channels").selectAll().orderBy("id").execute()).map(presentImChannel);
}

/** The settings that are secrets: stored sealed (AES-256-GCM), opened only to verify or send. */
export const IM_SECRET_SETTINGS: ReadonlySet<string> = new Set([
  "token",
  "encodingAesKey",
  "secret",
  "appSecret",
  "encryptKey",
  "verificationToken",
]);

async function storedImChannel(db: Executor, id: number) {
  const row = await db.selectFrom("im_channels").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Channel");
  return row;
}

/** A channel with its secrets opened, to verify a callback or send a message (values from before sealing open as they are). */
export async function getImChannel(db: Executor, box: SecretBox, id: number) {
  const row = await storedImChannel(db, id);
  const config = Object.fromEntries(
    Object.entries(row.config ?? {}).map(([k, v]) => [k, IM_SECRET_SETTINGS.has(k) && v ? box.reveal(v) : v]),
  );
  return { ...row, config };
}

const sealGiven = (box: SecretBox, given: Record<string, string>) =>
  Object.fromEntries(Object.entries(given).map(([k, v]) => [k, IM_SECRET_SETTINGS.has(k) && v ? box.seal(v) : v]));

/** Only the settings the platform uses are kept; a WeCom key must be the 43 characters WeCom issues. */
function cleanConfig(kind: ImChannelBody["kind"], given: Record<string, string>) {
  const allowed: readonly string[] = imSecretKeys[kind];
  const unknown = Object.keys(given).filter((k) => !allowed.includes(k));
  if (unknown.length)
    throw ValidationError(unknown.map((k) => ({ path: `config.${k}`, code: "unknown_field", message: `Not a ${kind} setting.` })));
  if (kind === "wecom" && given.encodingAesKey && !/^[A-Za-z0-9]{43}$/.test(given.encodingAesKey))
    throw ValidationError([
      { path: "config.encodingAesKey", code: "invalid_format", message: "The EncodingAESKey has 43 letters and digits." },
    ]);
  return given;
}

export async function createImChannel(db: Executor, box: SecretBox, body: ImChannelBody) {
  const row = await db
    .insertInto("im_channels")
    .values({
      kind: body.kind,
      name: body.name,
      active: body.active,
      config: JSON.stringify(sealGiven(box, cleanConfig(body.kind, body.config))),
      api_base: body.apiBase ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentImChannel(row);
}

export async function updateImChannel(db: Executor, box: SecretBox, id: number, body: ImChannelBody) {
  const current = await storedImChannel(db, id);
  if (current.kind !== body.kind)
    throw ValidationError([{ path: "kind", code: "immutable", message: "A channel's platform cannot change." }]);
  const row = await db
    .updateTable("im_channels")
    .set({
      name: body.name,
      active: body.active,
      config: JSON.stringify({ ...current.config, ...sealGiven(box, cleanConfig(body.kind, body.config)) }),
      api_base: body.apiBase === undefined ? current.api_base : body.apiBase,
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentImChannel(row);
}

export async function deleteImChannel(db: Executor, id: number) {
  const res = await db.updateTable("im_channels").set({ active: false, updated_at: new Date() }).where("id", "=", id).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw NotFoundError("Channel");
}
