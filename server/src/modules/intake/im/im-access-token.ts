import { createHash } from "node:crypto";

/**
 * Platform access tokens, kept until shortly before they expire. WeCom, DingTalk and Feishu all
 * issue tokens valid for about two hours and limit how often one may be fetched (WeCom blocks an
 * app that calls gettoken for every message), so replies reuse them. Each process keeps its own;
 * the platforms hand out the same or another valid token to each.
 */
const tokens = new Map<string, { token: string; expiresAt: number }>();
const MARGIN_MS = 5 * 60_000;
const DEFAULT_TTL_S = 7200;

export type FetchedToken = { token: string; expiresInSeconds?: number };

/** The credentials' token: from the cache, else fetched. The key never holds the secret itself. */
export async function accessToken(credentials: string[], fetchToken: () => Promise<FetchedToken>) {
  const key = createHash("sha256").update(credentials.join("\u0000")).digest("hex");
  const cached = tokens.get(key);
  if (cached && cached.expiresAt > Date.now()) return { token: cached.token, forget: () => tokens.delete(key) };
  const fresh = await fetchToken();
  const ttl = (fresh.expiresInSeconds ?? DEFAULT_TTL_S) * 1000 - MARGIN_MS;
  if (ttl > 0) tokens.set(key, { token: fresh.token, expiresAt: Date.now() + ttl });
  return { token: fresh.token, forget: () => tokens.delete(key) };
}

/** Runs a send with the token; when the platform refuses it (revoked, expired early), the token is dropped so the retry fetches a new one. */
export async function withAccessToken<T>(
  credentials: string[],
  fetchToken: () => Promise<FetchedToken>,
  send: (token: string) => Promise<T>,
): Promise<T> {
  const { token, forget } = await accessToken(credentials, fetchToken);
  try {
    return await send(token);
  } catch (err) {
    forget();
    throw err;
  }
}
