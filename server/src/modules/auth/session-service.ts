import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { Authentication, Principal, StaffPrincipal } from "../../platform/auth/principal";
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
    const row = await db
      .selectFrom("api_tokens")
      .innerJoin("staff", "staff.id", "api_tokens.staff_id")
      .select(["api_tokens.id", "api_tokens.expires_at", "api_tokens.revoked_at", "api_tokens.last_used_at"])
      .select(["staff.id as staff_id", "staff.email", "staff.name", "staff.role", "staff.locale", "staff.active"])
      .select(sql<number[]>`array(select department_id from staff_departments where staff_id = staff.id)`.as("department_ids"))
      .where("api_tokens.token_hash", "=", sha256Hex(bearer))
      .executeTakeFirst();
    if (!row?.active || row.revoked_at || (row.expires_at && row.expires_at < new Date())) return undefined;
    // Writing last_used_at at most once a minute keeps token traffic from turning reads into writes.
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)
      await db.updateTable("api_tokens").set({ last_used_at: new Date() }).where("id", "=", row.id).execute();
    const principal: StaffPrincipal = {
      kind: "staff",
      id: row.staff_id,
      email: row.email,
      name: row.name,
      role: row.role,
      locale: row.locale === "en" ? "en" : "zh-CN",
      departmentIds: row.department_ids ?? [],
    };
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
