import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Authentication, Principal } from "../../platform/auth/principal";
import { randomToken, sha256Hex } from "../../platform/auth/secrets";
import { loadCustomerPrincipal } from "../customers/customer-service";
import { loadStaffPrincipal } from "../staff/staff-service";

export const SESSION_COOKIE = "loopdesk_session";
export const TOKEN_PREFIX = "ldk_";

export async function createSession(db: Kysely<DB>, principal: Principal, opts: { days: number; userAgent?: string }) {
  const token = randomToken();
  const csrfToken = randomToken(24);
  await db
    .insertInto("sessions")
    .values({
      id: sha256Hex(token),
      principal_type: principal.kind,
      principal_id: principal.id,
      csrf_token: csrfToken,
      user_agent: opts.userAgent?.slice(0, 300) ?? null,
      expires_at: new Date(Date.now() + opts.days * 86_400_000),
    })
    .execute();
  return { token, csrfToken };
}

/** Ends every session of a principal (after deactivation or a password change). */
export async function endSessionsOf(db: Kysely<DB>, kind: "staff" | "customer", id: number) {
  await db.deleteFrom("sessions").where("principal_type", "=", kind).where("principal_id", "=", id).execute();
}

export async function deleteSession(db: Kysely<DB>, sessionId: string) {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

const loadPrincipal = (db: Kysely<DB>, type: "staff" | "customer", id: number) =>
  type === "staff" ? loadStaffPrincipal(db, id) : loadCustomerPrincipal(db, id);

const tokenTouchedAt = new Map<string, number>();

/** Records last_used_at at most once a minute per token and process, so token traffic stays reads. */
async function touchToken(db: Kysely<DB>, hash: string) {
  const now = Date.now();
  if (now - (tokenTouchedAt.get(hash) ?? 0) < 60_000) return;
  if (tokenTouchedAt.size > 10_000) tokenTouchedAt.clear();
  tokenTouchedAt.set(hash, now);
  await db
    .updateTable("api_tokens")
    .set({ last_used_at: new Date(now) })
    .where("token_hash", "=", hash)
    .execute();
}

/** Resolves the caller from a bearer API token or the session cookie; neither → anonymous. */
export async function authenticate(
  db: Kysely<DB>,
  input: { authorization?: string; sessionToken?: string },
): Promise<Authentication | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(input.authorization ?? "")?.[1];
  if (bearer) {
    // One round trip: the staff module reads its row by a subquery over the valid token.
    const hash = sha256Hex(bearer);
    const principal = await loadStaffPrincipal(
      db,
      db
        .selectFrom("api_tokens")
        .select("staff_id")
        .where("token_hash", "=", hash)
        .where("revoked_at", "is", null)
        .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", new Date())]))
        .$asScalar(),
    );
    if (!principal) return undefined;
    await touchToken(db, hash);
    return { principal, via: "token" };
  }
  if (input.sessionToken) {
    const id = sha256Hex(input.sessionToken);
    const s = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
    if (!s || s.expires_at < new Date()) return undefined;
    const principal = await loadPrincipal(db, s.principal_type, s.principal_id);
    return principal ? { principal, via: "session", sessionId: id, csrfToken: s.csrf_token } : undefined;
  }
  return undefined;
}
