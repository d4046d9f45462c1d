import { compiledOnce, slot } from "../../db/compiled-once";
import { prepared } from "../../db/prepared-statements";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Authentication, Principal } from "../../platform/auth/principal";
import { randomToken, sha256Hex } from "../../platform/auth/secrets";
import { NotFoundError } from "../../platform/errors";
import { keptPrincipal } from "../../platform/auth/principal-cache";
import { loadCustomerPrincipal } from "../customers/customer-service";
import { deviceName } from "./device-name";
import { loadStaffPrincipal, staffPrincipalQuery, toStaffPrincipal } from "../staff/staff-service";

export const SESSION_COOKIE = "loopdesk_session";
export const TOKEN_PREFIX = "ldk_";

export async function createSession(
  db: Kysely<DB>,
  principal: Principal,
  opts: { days: number; userAgent?: string; ip?: string; needsTwoFactor?: boolean },
) {
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
      ip: opts.ip ?? null,
      needs_two_factor: opts.needsTwoFactor ?? false,
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
  type === "staff" ? keptPrincipal(db, `staff:${id}`, () => loadStaffPrincipal(db, id)) : loadCustomerPrincipal(db, id);

const touchedAt = new Map<string, number>();

/** True at most once a minute per key and process: when a token's or session's last use is worth writing. */
function dueForTouch(key: string) {
  const now = Date.now();
  if (now - (touchedAt.get(key) ?? 0) < 60_000) return false;
  if (touchedAt.size > 10_000) touchedAt.clear();
  touchedAt.set(key, now);
  return true;
}

/** A token's scopes never change after it is made: read once per process. */
const scopesOf = new Map<string, readonly string[]>();
async function tokenScopes(db: Kysely<DB>, hash: string) {
  const known = scopesOf.get(hash);
  if (known) return known;
  const row = await db.selectFrom("api_tokens").select("scopes").where("token_hash", "=", hash).executeTakeFirst();
  const scopes = row?.scopes ?? [];
  if (scopesOf.size > 10_000) scopesOf.clear();
  scopesOf.set(hash, scopes);
  return scopes;
}

// Every signed-in request runs one of these two: compiled once.
/** The staff member of a valid token and when the token expires, in one round trip (the token's row by subqueries). */
const staffByToken = compiledOnce((db) =>
  staffPrincipalQuery(db)
    .select(
      db.selectFrom("api_tokens").select("expires_at").where("token_hash", "=", slot<string>("hash")).$asScalar().as("token_expires_at"),
    )
    .where(
      "id",
      "=",
      db
        .selectFrom("api_tokens")
        .select("staff_id")
        .where("token_hash", "=", slot<string>("hash"))
        .where("revoked_at", "is", null)
        .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", slot<Date>("now"))]))
        .$asScalar(),
    )
    .modifyEnd(prepared),
);
const sessionById = compiledOnce((db) =>
  db
    .selectFrom("sessions")
    .select(["principal_type", "principal_id", "csrf_token", "needs_two_factor", "expires_at"])
    .where("id", "=", slot<string>("id"))
    .modifyEnd(prepared),
);

/** Resolves the caller from a bearer API token or the session cookie; neither → anonymous. */
export async function authenticate(
  db: Kysely<DB>,
  input: { authorization?: string; sessionToken?: string },
): Promise<Authentication | undefined> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(input.authorization ?? "")?.[1];
  if (bearer) {
    // One round trip: the staff module reads its row by a subquery over the valid token; kept a few seconds.
    const hash = sha256Hex(bearer);
    const now = new Date();
    const found = await keptPrincipal(db, `token:${hash}`, async () => {
      const [row] = await staffByToken(db, { hash, now });
      const principal = toStaffPrincipal(row);
      return principal && { principal, expiresAt: row?.token_expires_at ?? null };
    });
    if (!found || (found.expiresAt && found.expiresAt <= now)) return undefined;
    const { principal } = found;
    if (dueForTouch(hash)) await db.updateTable("api_tokens").set({ last_used_at: new Date() }).where("token_hash", "=", hash).execute();
    return { principal, via: "token", scopes: await tokenScopes(db, hash) };
  }
  if (input.sessionToken) {
    const id = sha256Hex(input.sessionToken);
    const [s] = await sessionById(db, { id });
    if (!s || s.expires_at < new Date()) return undefined;
    const principal = await loadPrincipal(db, s.principal_type, s.principal_id);
    if (principal && dueForTouch(id)) await db.updateTable("sessions").set({ last_seen_at: new Date() }).where("id", "=", id).execute();
    return principal
      ? { principal, via: "session", sessionId: id, csrfToken: s.csrf_token, needsTwoFactor: s.needs_two_factor }
      : undefined;
  }
  return undefined;
}

/** A session is named to its owner by the start of its id's hash: enough to end it, useless to sign in. */
const handleOf = (id: string) => id.slice(0, 16);

/** A person's live sessions, the most recently used first. */
export async function listSessions(db: Kysely<DB>, kind: "staff" | "customer", principalId: number, currentId?: string) {
  const rows = await db
    .selectFrom("sessions")
    .selectAll()
    .where("principal_type", "=", kind)
    .where("principal_id", "=", principalId)
    .where("expires_at", ">", new Date())
    .orderBy("last_seen_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: handleOf(r.id),
    device: deviceName(r.user_agent),
    ip: r.ip,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    current: r.id === currentId,
  }));
}

/** Ends one of a person's sessions by its handle; another person's is not found. */
export async function endSession(db: Kysely<DB>, kind: "staff" | "customer", principalId: number, handle: string) {
  if (!/^[0-9a-f]{16}$/.test(handle)) throw NotFoundError("Session");
  const res = await db
    .deleteFrom("sessions")
    .where("principal_type", "=", kind)
    .where("principal_id", "=", principalId)
    .where("id", "like", `${handle}%`)
    .executeTakeFirst();
  if (!res.numDeletedRows) throw NotFoundError("Session");
}
