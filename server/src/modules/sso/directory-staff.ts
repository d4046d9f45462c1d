import { forgetPrincipals } from "../../platform/auth/principal-cache";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { GroupMapping } from "../../db/schema-security";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { AppError } from "../../platform/errors";
import { loadStaffPrincipal } from "../staff/staff-service";
import type { SsoRow } from "./sso-settings";

/** Who the directory says signed in: its id for them, their email and name, the groups they are in. */
export type DirectoryIdentity = { source: "oidc" | "ldap"; subject: string; email: string; name: string; groups: string[] };

const RANK = { agent: 1, supervisor: 2, admin: 3 } as const;

export const NotAllowedError = (why: string) => new AppError(403, "forbidden", why);

/**
 * The role and departments a person's groups give: the highest role of any mapping that matches
 * (a group matches by its name or DN, case-insensitive), the departments of all of them; the
 * default role when none matches, or nothing.
 */
export function mapGroups(mappings: GroupMapping[], groups: string[], defaultRole: SsoRow["default_role"]) {
  const theirs = new Set(groups.map((g) => g.toLowerCase()));
  const matched = mappings.filter((m) => theirs.has(m.group.toLowerCase()));
  if (matched.length === 0) return defaultRole ? { role: defaultRole, departmentIds: [] as number[] } : null;
  const role = matched.map((m) => m.role).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
  return { role, departmentIds: [...new Set(matched.flatMap((m) => m.departmentIds))] };
}

/**
 * Signs a directory identity in as staff: found by the directory's id for them (or, the first
 * time, by email), created just in time when allowed, and given the role and departments their
 * groups map to at every sign-in (so a move in the directory moves them here). Deactivated staff
 * stay out. Answers the principal and what changed, for the audit log.
 */
export async function staffFromDirectory(db: Kysely<DB>, settings: SsoRow, id: DirectoryIdentity) {
  const mapped = mapGroups(settings.group_mappings ?? [], id.groups, settings.default_role);
  if (!mapped) throw NotAllowedError("You are in no group that may use the helpdesk.");
  const email = id.email.trim().toLowerCase();
  const signedIn = await db.transaction().execute(async (trx) => {
    let staff =
      (await trx
        .selectFrom("staff")
        .selectAll()
        .where("sso_source", "=", id.source)
        .where("sso_subject", "=", id.subject)
        .executeTakeFirst()) ??
      (await trx
        .selectFrom("staff")
        .selectAll()
        .where((eb) => eb(eb.fn("lower", ["email"]), "=", email))
        .executeTakeFirst());
    let created = false;
    if (!staff) {
      if (!settings.jit) throw NotAllowedError("Ask an administrator to add you as staff first.");
      staff = await trx
        .insertInto("staff")
        .values({ email, name: id.name || email, role: mapped.role, password_hash: null, sso_source: id.source, sso_subject: id.subject })
        .returningAll()
        .executeTakeFirstOrThrow();
      created = true;
    }
    if (!staff.active) throw NotAllowedError("This account is deactivated.");
    const before = {
      role: staff.role,
      departmentIds: (await trx.selectFrom("staff_departments").select("department_id").where("staff_id", "=", staff.id).execute()).map(
        (d) => d.department_id,
      ),
    };
    // Break-glass accounts keep what an administrator gave them.
    if (!staff.break_glass) {
      await trx
        .updateTable("staff")
        .set({ role: mapped.role, name: id.name || staff.name, sso_source: id.source, sso_subject: id.subject, updated_at: new Date() })
        .where("id", "=", staff.id)
        .execute();
      if (mapped.departmentIds.length) {
        await trx.deleteFrom("staff_departments").where("staff_id", "=", staff.id).execute();
        await trx
          .insertInto("staff_departments")
          .values(mapped.departmentIds.map((department_id) => ({ staff_id: staff.id, department_id })))
          .execute();
      }
    }
    const principal = (await loadStaffPrincipal(trx, staff.id)) as StaffPrincipal;
    const after = { role: principal.role, departmentIds: principal.departmentIds };
    const changed =
      !created && (before.role !== after.role || [...before.departmentIds].sort().join() !== [...after.departmentIds].sort().join());
    return { principal, created, changed: changed ? { before, after } : null };
  });
  forgetPrincipals(db); // their role or departments may have moved
  return signedIn;
}
