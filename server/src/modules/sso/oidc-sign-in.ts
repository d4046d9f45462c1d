import { createHash } from "node:crypto";
import * as oidc from "openid-client";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import type { DirectoryIdentity } from "./directory-staff";
import { OIDC_CALLBACK_PATH, type SsoRow } from "./sso-settings";
import { isLoopbackUrl } from "../../platform/http/loopback";

/** How long a sign-in may take at the provider. */
const FLOW_MS = 10 * 60_000;
export const OIDC_COOKIE = "loopdesk_oidc";
export const OIDC_COOKIE_PATH = "/api/v1/auth/oidc";

const configs = new Map<string, Promise<oidc.Configuration>>();

/**
 * The provider's configuration by OpenID discovery (openid-client), kept per issuer, client and
 * secret. Plain http is accepted only for a provider on this machine (development and tests).
 */
function configuration(ctx: AppContext, row: SsoRow) {
  if (!row.oidc_enabled || !row.oidc_issuer || !row.oidc_client_id) throw new AppError(404, "not_found", "Single sign-on is not set up.");
  const secret = row.oidc_client_secret_sealed ? ctx.secrets.reveal(row.oidc_client_secret_sealed) : undefined;
  const key = createHash("sha256")
    .update(`${row.oidc_issuer}\n${row.oidc_client_id}\n${secret ?? ""}`)
    .digest("hex");
  let found = configs.get(key);
  if (!found) {
    const issuer = new URL(row.oidc_issuer);
    found = oidc.discovery(
      issuer,
      row.oidc_client_id,
      secret,
      undefined,
      isLoopbackUrl(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    found.catch(() => configs.delete(key));
    configs.set(key, found);
  }
  return found;
}

const redirectUri = (ctx: AppContext) => `${ctx.config.publicUrl.replace(/\/$/, "")}${OIDC_CALLBACK_PATH}`;

/** Where the browser goes to sign in at the provider, and the signed cookie that remembers the flow (state, nonce, PKCE verifier). */
export async function oidcStart(ctx: AppContext, row: SsoRow, returnTo: string) {
  const config = await configuration(ctx, row);
  const flow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    returnTo,
    exp: Date.now() + FLOW_MS,
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(ctx),
    scope: row.oidc_scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  const body = Buffer.from(JSON.stringify(flow)).toString("base64url");
  return { url: url.href, cookie: `${body}.${ctx.secrets.mac(body)}` };
}

type Flow = { state: string; nonce: string; verifier: string; returnTo: string; exp: number };

function readFlow(ctx: AppContext, cookie: string | undefined): Flow {
  const [body, tag] = (cookie ?? "").split(".");
  if (!body || !tag || !ctx.secrets.verifyMac(body, tag))
    throw new AppError(400, "invalid_code", "The sign-in started elsewhere or expired; start again.");
  const flow = JSON.parse(Buffer.from(body, "base64url").toString()) as Flow;
  if (flow.exp < Date.now()) throw new AppError(400, "invalid_code", "The sign-in took too long; start again.");
  return flow;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

/**
 * The provider sent the browser back: the code is exchanged (state, nonce and PKCE checked by
 * openid-client), the ID token's claims — and the userinfo's where the token lacks email or
 * groups — give the person. Answers who signed in and where they were going.
 */
export async function oidcFinish(ctx: AppContext, row: SsoRow, callbackUrl: string, cookie: string | undefined) {
  const flow = readFlow(ctx, cookie);
  const config = await configuration(ctx, row);
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, new URL(callbackUrl), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    ctx.logger.warn({ err: String((err as Error).message ?? err) }, "OIDC sign-in refused");
    throw new AppError(401, "unauthorized", "The provider's answer could not be verified.");
  }
  let claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
  if ((!claims.email || claims[row.oidc_groups_claim] === undefined) && tokens.access_token)
    claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
  const email = typeof claims.email === "string" ? claims.email : "";
  if (!email) throw new AppError(403, "forbidden", "The provider did not say your email address.");
  const identity: DirectoryIdentity = {
    source: "oidc",
    subject: `${row.oidc_issuer}|${String(claims.sub)}`,
    email,
    name: String(claims.name ?? claims.preferred_username ?? email),
    groups: strings(claims[row.oidc_groups_claim]),
  };
  const returnTo = /^\/(?!\/)/.test(flow.returnTo) ? flow.returnTo : "/";
  // RFC 8176 methods that are a second factor at the provider.
  const mfa = strings(claims.amr).some((m) => ["mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "sms"].includes(m));
  return { identity, returnTo, mfa };
}
