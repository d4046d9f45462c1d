import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from "@simplewebauthn/server";
import type * as WebAuthn from "@simplewebauthn/server";
import type * as WebAuthnHelpers from "@simplewebauthn/server/helpers";
import { lazyModule } from "../../platform/modules/lazy-module";

const webauthn = lazyModule<typeof WebAuthn>("@simplewebauthn/server");
const helpers = lazyModule<typeof WebAuthnHelpers>("@simplewebauthn/server/helpers");
import type { AppContext } from "../../platform/context";
import { AppError, NotFoundError } from "../../platform/errors";

/**
 * Passkeys (WebAuthn, via @simplewebauthn/server) as a staff member's second factor: a security
 * key, phone or the computer's own authenticator. The relying party is the installation's public
 * address (its host name is the RP ID). Challenges travel in server-signed states, so any process
 * can finish what another started.
 */
const STATE_MS = 5 * 60_000;
const InvalidPasskeyError = () => new AppError(400, "invalid_code", "The passkey could not be verified.");

const relyingParty = (ctx: AppContext) => {
  const url = new URL(ctx.config.publicUrl);
  return { id: url.hostname, origin: url.origin };
};

function sign(ctx: AppContext, kind: "reg" | "auth", staffId: number, challenge: string) {
  const body = `${kind}.${staffId}.${Date.now() + STATE_MS}.${challenge}`;
  return `${body}.${ctx.secrets.mac(`passkey:${body}`)}`;
}

function challengeOf(ctx: AppContext, kind: "reg" | "auth", staffId: number, state: string) {
  const parts = state.split(".");
  const [k, id, until, challenge, tag] = parts;
  if (parts.length !== 5 || k !== kind || Number(id) !== staffId || Number(until) < Date.now() || !challenge || !tag)
    throw InvalidPasskeyError();
  if (!ctx.secrets.verifyMac(`passkey:${k}.${id}.${until}.${challenge}`, tag)) throw InvalidPasskeyError();
  return challenge;
}

export async function listPasskeys(ctx: AppContext, staffId: number) {
  const rows = await ctx.db
    .selectFrom("staff_passkeys")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("staff_id", "=", staffId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  }));
}

export async function passkeyRegistrationOptions(ctx: AppContext, staff: { id: number; email: string; name: string }) {
  const existing = await ctx.db
    .selectFrom("staff_passkeys")
    .select(["credential_id", "transports"])
    .where("staff_id", "=", staff.id)
    .execute();
  const options = await webauthn().generateRegistrationOptions({
    rpName: "Loopdesk",
    rpID: relyingParty(ctx).id,
    userName: staff.email,
    userDisplayName: staff.name,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  return { options, state: sign(ctx, "reg", staff.id, options.challenge) };
}

/** Verifies a new passkey and keeps it; the person's sessions waiting for a second factor may then do everything. */
/** The browser's WebAuthn answer as it arrived (the library checks its shape; a malformed one fails verification). */
type BrowserAnswer = { id: string; [k: string]: unknown };

export async function registerPasskey(ctx: AppContext, staffId: number, input: { state: string; response: BrowserAnswer; name: string }) {
  const rp = relyingParty(ctx);
  const verified = await webauthn()
    .verifyRegistrationResponse({
      response: input.response as unknown as RegistrationResponseJSON,
      expectedChallenge: challengeOf(ctx, "reg", staffId, input.state),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    })
    .catch(() => null);
  if (!verified?.verified || !verified.registrationInfo) throw InvalidPasskeyError();
  const { credential } = verified.registrationInfo;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("staff_passkeys")
      .values({
        staff_id: staffId,
        credential_id: credential.id,
        public_key: helpers().isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        name: input.name,
      })
      .execute();
    await trx
      .updateTable("sessions")
      .set({ needs_two_factor: false })
      .where("principal_type", "=", "staff")
      .where("principal_id", "=", staffId)
      .execute();
  });
  return listPasskeys(ctx, staffId);
}

export async function deletePasskey(ctx: AppContext, staffId: number, id: number) {
  const res = await ctx.db.deleteFrom("staff_passkeys").where("id", "=", id).where("staff_id", "=", staffId).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw NotFoundError("Passkey");
}

export async function passkeyAuthenticationOptions(ctx: AppContext, staffId: number) {
  const creds = await ctx.db.selectFrom("staff_passkeys").select(["credential_id", "transports"]).where("staff_id", "=", staffId).execute();
  if (creds.length === 0) throw NotFoundError("Passkey");
  const options = await webauthn().generateAuthenticationOptions({
    rpID: relyingParty(ctx).id,
    allowCredentials: creds.map((c) => ({ id: c.credential_id, transports: c.transports as AuthenticatorTransportFuture[] })),
    userVerification: "preferred",
  });
  return { options, state: sign(ctx, "auth", staffId, options.challenge) };
}

/** Checks a passkey's signature over the challenge, and that its counter moved on (a cloned key would not). */
export async function verifyPasskey(ctx: AppContext, staffId: number, input: { state: string; response: BrowserAnswer }) {
  const rp = relyingParty(ctx);
  const stored = await ctx.db
    .selectFrom("staff_passkeys")
    .selectAll()
    .where("staff_id", "=", staffId)
    .where("credential_id", "=", input.response.id)
    .executeTakeFirst();
  if (!stored) throw InvalidPasskeyError();
  const verified = await webauthn()
    .verifyAuthenticationResponse({
      response: input.response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challengeOf(ctx, "auth", staffId, input.state),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: stored.credential_id,
        publicKey: helpers().isoBase64URL.toBuffer(stored.public_key),
        counter: Number(stored.counter),
        transports: stored.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: false,
    })
    .catch(() => null);
  if (!verified?.verified) throw InvalidPasskeyError();
  await ctx.db
    .updateTable("staff_passkeys")
    .set({ counter: verified.authenticationInfo.newCounter, last_used_at: new Date() })
    .where("id", "=", stored.id)
    .execute();
}
