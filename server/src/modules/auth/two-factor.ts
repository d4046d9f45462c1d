import { randomInt } from "node:crypto";
import type { StaffRole } from "@loopdesk/contracts/staff";
import { type Kysely, sql } from "kysely";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import type { DB } from "../../db/schema";
import { checkThrottle, clearFailures, recordFailure } from "../../platform/auth/attempt-throttle";
import { sha256Hex } from "../../platform/auth/secrets";
import type { AppContext } from "../../platform/context";
import { AppError, NotFoundError } from "../../platform/errors";

const ISSUER = "Loopdesk";
const RECOVERY_CODES = 10;
/** Wrong second factors per person before they wait (30 s, doubling), whatever the address. */
const MAX_WRONG = 5;
const WINDOW_MS = 15 * 60_000;
const SETTINGS_KEY = "security.two_factor";

const InvalidCodeError = () => new AppError(400, "invalid_code", "The code is wrong or has expired.");

/** An authenticator app's TOTP (RFC 6238: SHA-1, 6 digits, 30 s — what every app supports), via otpauth. */
const totp = (secret: string, label: string) =>
  new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });

/** Which roles must sign in with a second factor (admin setting). */
export async function twoFactorRoles(db: Kysely<DB>): Promise<StaffRole[]> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", SETTINGS_KEY).executeTakeFirst();
  return ((row?.value as { roles?: StaffRole[] } | undefined)?.roles ?? []).slice();
}

export async function setTwoFactorRoles(db: Kysely<DB>, roles: StaffRole[]) {
  const value = JSON.stringify({ roles: [...new Set(roles)] });
  await db
    .insertInto("settings")
    .values({ key: SETTINGS_KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: sql`now()` }))
    .execute();
  return twoFactorRoles(db);
}

/** A person's second factors: whether the authenticator is on, how many recovery codes are left, and whether their role requires one. */
export async function twoFactorStatus(db: Kysely<DB>, staffId: number) {
  const staff = await db.selectFrom("staff").select(["role", "totp_enabled_at"]).where("id", "=", staffId).executeTakeFirst();
  if (!staff) throw NotFoundError("Staff member");
  const left = await db
    .selectFrom("staff_recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("staff_id", "=", staffId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  const keys = await db
    .selectFrom("staff_passkeys")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("staff_id", "=", staffId)
    .executeTakeFirstOrThrow();
  return {
    totp: staff.totp_enabled_at !== null,
    passkeys: Number(keys.n),
    enabledAt: staff.totp_enabled_at?.toISOString() ?? null,
    recoveryCodesLeft: Number(left.n),
    required: (await twoFactorRoles(db)).includes(staff.role),
  };
}

/** The second factors a person may answer the sign-in's second step with. */
export const secondFactorMethods = (f: { totp: boolean; passkeys: number }) => [
  ...(f.totp ? (["totp"] as const) : []),
  ...(f.passkeys ? (["passkey"] as const) : []),
  "recovery_code" as const,
];

/** Starts enrolling an authenticator: a new secret (kept sealed until confirmed), its otpauth:// link and QR code. */
export async function startTotpEnrolment(ctx: AppContext, staffId: number, email: string) {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await ctx.db
    .updateTable("staff")
    .set({ totp_pending_sealed: ctx.secrets.seal(secret) })
    .where("id", "=", staffId)
    .execute();
  const url = totp(secret, email).toString();
  return { secret, otpauthUrl: url, qrDataUrl: await QRCode.toDataURL(url, { margin: 1, width: 220 }) };
}

/** Ten single-use codes like "k7mq-2xhd" (no 0/o/1/l), stored hashed; the old ones stop working. */
async function newRecoveryCodes(db: Kysely<DB>, staffId: number) {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const part = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join("");
  const codes = Array.from({ length: RECOVERY_CODES }, () => `${part()}-${part()}`);
  await db.deleteFrom("staff_recovery_codes").where("staff_id", "=", staffId).execute();
  await db
    .insertInto("staff_recovery_codes")
    .values(codes.map((c) => ({ staff_id: staffId, code_hash: sha256Hex(c) })))
    .execute();
  return codes;
}

/** Confirms the authenticator with a code it shows: two-factor sign-in is on; the recovery codes are answered this once. */
export async function confirmTotp(ctx: AppContext, staffId: number, email: string, code: string) {
  const row = await ctx.db.selectFrom("staff").select("totp_pending_sealed").where("id", "=", staffId).executeTakeFirstOrThrow();
  if (!row.totp_pending_sealed) throw new AppError(409, "conflict", "Start the enrolment first.");
  const secret = ctx.secrets.open(row.totp_pending_sealed);
  if (totp(secret, email).validate({ token: code, window: 1 }) === null) throw InvalidCodeError();
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("staff")
      .set({ totp_secret_sealed: row.totp_pending_sealed, totp_pending_sealed: null, totp_enabled_at: new Date() })
      .where("id", "=", staffId)
      .execute();
    // Sessions that were waiting for the person to enrol may now do everything.
    await trx
      .updateTable("sessions")
      .set({ needs_two_factor: false })
      .where("principal_type", "=", "staff")
      .where("principal_id", "=", staffId)
      .execute();
    return newRecoveryCodes(trx as unknown as Kysely<DB>, staffId);
  });
}

export async function regenerateRecoveryCodes(ctx: AppContext, staffId: number, code: string) {
  await verifySecondFactor(ctx, staffId, { code });
  return newRecoveryCodes(ctx.db, staffId);
}

/** Turns the authenticator off and forgets the recovery codes (the person's own choice, or an admin's reset). */
export async function removeTwoFactor(db: Kysely<DB>, staffId: number) {
  await db
    .updateTable("staff")
    .set({ totp_secret_sealed: null, totp_pending_sealed: null, totp_enabled_at: null })
    .where("id", "=", staffId)
    .execute();
  await db.deleteFrom("staff_recovery_codes").where("staff_id", "=", staffId).execute();
  await db.deleteFrom("staff_passkeys").where("staff_id", "=", staffId).execute();
}

/**
 * Checks a second factor: a code from the authenticator (this 30 s step or the one either side)
 * or an unused recovery code (then used up). Wrong ones are throttled per person: after five, each
 * further try waits longer (429 with Retry-After), so six digits cannot be guessed.
 */
export async function verifySecondFactor(ctx: AppContext, staffId: number, input: { code?: string; recoveryCode?: string }) {
  const key = `2fa:${staffId}`;
  await checkThrottle(ctx.db, [{ key, max: MAX_WRONG, growingFromMs: 30_000 }], WINDOW_MS);
  const staff = await ctx.db
    .selectFrom("staff")
    .select(["email", "totp_secret_sealed"])
    .where("id", "=", staffId)
    .executeTakeFirstOrThrow();
  let method: "totp" | "recovery_code" | undefined;
  if (input.code && staff.totp_secret_sealed) {
    const ok =
      totp(ctx.secrets.open(staff.totp_secret_sealed), staff.email).validate({ token: input.code.replace(/\s/g, ""), window: 1 }) !== null;
    if (ok) method = "totp";
  } else if (input.recoveryCode) {
    const used = await ctx.db
      .updateTable("staff_recovery_codes")
      .set({ used_at: new Date() })
      .where("staff_id", "=", staffId)
      .where("code_hash", "=", sha256Hex(input.recoveryCode.trim().toLowerCase()))
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (used.numUpdatedRows > 0n) method = "recovery_code";
  }
  if (!method) {
    await recordFailure(ctx.db, [{ key, max: MAX_WRONG }]);
    throw InvalidCodeError();
  }
  await clearFailures(ctx.db, key);
  return method;
}

/** A password sign-in's ticket to the second step: the person and a deadline, signed by the server (no state kept). */
const CHALLENGE_MS = 5 * 60_000;
export function twoFactorChallenge(ctx: AppContext, staffId: number) {
  const body = `${staffId}.${Date.now() + CHALLENGE_MS}`;
  return `${body}.${ctx.secrets.mac(`2fa:${body}`)}`;
}

export function staffOfChallenge(ctx: AppContext, challenge: string): number {
  const [id, until, tag] = challenge.split(".");
  if (!id || !until || !tag || !ctx.secrets.verifyMac(`2fa:${id}.${until}`, tag) || Number(until) < Date.now())
    throw new AppError(401, "unauthorized", "The sign-in has expired; enter the password again.");
  return Number(id);
}
