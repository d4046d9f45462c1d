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

/** Resolves the caller from a bearer API token or the session cookie; neither → anonymous. */
export async function authenticate(
  db: Kysely<DB>,
  input: { authorization?: string; sessionToken?: string },
): Promise<Authentication | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(input.authorization ?? "")?.[1];
  if (bearer) {
    // Two lookups, not a join: staff rows belong to the staff module and are read through it.
    const row = await db
      .selectFrom("api_tokens")
      .select(["id", "staff_id", "expires_at", "revoked_at", "last_used_at"])
      .where("token_hash", "=", sha256Hex(bearer))
      .executeTakeFirst();
    if (!row || row.revoked_at || (row.expires_at && row.expires_at < new Date())) return undefined;
    // Writing last_used_at at most once a minute keeps token traffic from turning reads into writes.
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)
      await db.updateTable("api_tokens").set({ last_used_at: new Date() }).where("id", "=", row.id).execute();
    const principal = await loadStaffPrincipal(db, row.staff_id);
    if (!principal) return undefined;
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
