import type { FastifyInstance } from "fastify";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { type DirectoryIdentity, staffFromDirectory } from "./directory-staff";
import { ldapSignIn } from "./ldap-directory";
import type { SsoRow } from "./sso-settings";

/**
 * A directory identity becomes staff (just in time, or with the role and departments their groups
 * now give); a creation and a change of role or departments are in the audit log as the
 * directory's doing.
 */
export async function staffSignedInBy(app: FastifyInstance, ctx: AppContext, row: SsoRow, identity: DirectoryIdentity, ip: string) {
  const { principal, created, changed } = await staffFromDirectory(ctx.db, row, identity);
  const actor = { type: "system" as const, name: identity.source === "ldap" ? "LDAP" : "OIDC" };
  const target = { type: "staff", id: principal.id, name: principal.email };
  if (created)
    await app.auditLog.record({
      action: "staff.create",
      actor,
      ip,
      target,
      after: { role: principal.role, departmentIds: principal.departmentIds },
      detail: { source: identity.source },
    });
  if (changed)
    await app.auditLog.record({
      action: "staff.update",
      actor,
      ip,
      target,
      before: changed.before,
      after: changed.after,
      detail: { source: identity.source },
    });
  return principal;
}

/** Password sign-in against the company's LDAP/Active Directory (see login): a principal, or null for an unknown person or wrong password. */
export async function directorySignIn(
  ctx: AppContext,
  app: FastifyInstance,
  row: SsoRow,
  input: { email: string; password: string; ip: string },
): Promise<Principal | null> {
  const identity = await ldapSignIn(ctx, row, input.email.trim(), input.password);
  return identity ? staffSignedInBy(app, ctx, row, identity, input.ip) : null;
}
