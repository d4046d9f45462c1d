import type { SsoSettings, ssoSettingsBody } from "@loopdesk/contracts/sso";
import type { Selectable } from "kysely";
import type { z } from "zod";
import type { SsoSettingsTable } from "../../db/schema-security";
import type { AppContext } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

export type SsoRow = Selectable<SsoSettingsTable>;

export const OIDC_CALLBACK_PATH = "/api/v1/auth/oidc/callback";

export async function ssoRow(db: Executor): Promise<SsoRow> {
  return db.selectFrom("sso_settings").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
}

/** Whether a staff member may use their Loopdesk password (always, unless SSO is required; break-glass accounts always). */
export const passwordAllowed = (row: SsoRow, staff: { break_glass: boolean; sso_source: string | null }) =>
  row.password_sign_in === "all" || staff.break_glass;

export async function presentSsoSettings(ctx: AppContext, db: Executor = ctx.db): Promise<SsoSettings> {
  const r = await ssoRow(db);
  const breakGlass = await db.selectFrom("staff").select("id").where("break_glass", "=", true).orderBy("id").execute();
  return {
    oidc: {
      enabled: r.oidc_enabled,
      name: r.oidc_name,
      issuer: r.oidc_issuer,
      clientId: r.oidc_client_id,
      hasClientSecret: !!r.oidc_client_secret_sealed,
      scopes: r.oidc_scopes,
      groupsClaim: r.oidc_groups_claim,
      redirectUri: `${ctx.config.publicUrl.replace(/\/$/, "")}${OIDC_CALLBACK_PATH}`,
    },
    ldap: {
      enabled: r.ldap_enabled,
      url: r.ldap_url,
      bindDn: r.ldap_bind_dn,
      hasBindPassword: !!r.ldap_bind_password_sealed,
      baseDn: r.ldap_base_dn,
      userFilter: r.ldap_user_filter,
      groupBaseDn: r.ldap_group_base_dn,
      groupFilter: r.ldap_group_filter,
    },
    groupMappings: r.group_mappings ?? [],
    jit: r.jit,
    defaultRole: r.default_role,
    passwordSignIn: r.password_sign_in,
    breakGlassStaffIds: breakGlass.map((s) => s.id),
  };
}

const problem = (path: string, code: string, message: string) => ValidationError([{ path, code, message }]);

/**
 * Saves the settings; secrets are write-only (sealed). Refused: a provider switched on without
 * what it needs, a mapping to a department that does not exist, and password sign-in limited to
 * break-glass accounts without single sign-on or without an active break-glass administrator.
 */
export async function updateSsoSettings(ctx: AppContext, input: z.output<typeof ssoSettingsBody>) {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await ssoRow(trx);
    const o = input.oidc ?? {};
    const l = input.ldap ?? {};
    const seal = (v: string | null | undefined, current: string | null) => (v === undefined ? current : v ? ctx.secrets.seal(v) : null);
    const next = {
      oidc_enabled: o.enabled ?? before.oidc_enabled,
      oidc_name: o.name ?? before.oidc_name,
      oidc_issuer: o.issuer === undefined ? before.oidc_issuer : o.issuer || null,
      oidc_client_id: o.clientId === undefined ? before.oidc_client_id : o.clientId || null,
      oidc_client_secret_sealed: seal(o.clientSecret, before.oidc_client_secret_sealed),
      oidc_scopes: o.scopes ?? before.oidc_scopes,
      oidc_groups_claim: o.groupsClaim ?? before.oidc_groups_claim,
      ldap_enabled: l.enabled ?? before.ldap_enabled,
      ldap_url: l.url === undefined ? before.ldap_url : l.url || null,
      ldap_bind_dn: l.bindDn === undefined ? before.ldap_bind_dn : l.bindDn || null,
      ldap_bind_password_sealed: seal(l.bindPassword, before.ldap_bind_password_sealed),
      ldap_base_dn: l.baseDn === undefined ? before.ldap_base_dn : l.baseDn || null,
      ldap_user_filter: l.userFilter ?? before.ldap_user_filter,
      ldap_group_base_dn: l.groupBaseDn === undefined ? before.ldap_group_base_dn : l.groupBaseDn || null,
      ldap_group_filter: l.groupFilter ?? before.ldap_group_filter,
      group_mappings: JSON.stringify(input.groupMappings ?? before.group_mappings ?? []),
      jit: input.jit ?? before.jit,
      default_role: input.defaultRole === undefined ? before.default_role : input.defaultRole,
      password_sign_in: input.passwordSignIn ?? before.password_sign_in,
      updated_at: new Date(),
    };
    if (next.oidc_enabled) {
      if (!next.oidc_issuer || !/^https?:\/\//.test(next.oidc_issuer))
        throw problem("oidc.issuer", "required", "The provider's issuer URL.");
      if (!next.oidc_client_id) throw problem("oidc.clientId", "required", "The client id the provider issued.");
      if (!next.oidc_name) throw problem("oidc.name", "required", "The sign-in button's label.");
    }
    if (next.ldap_enabled) {
      if (!next.ldap_url || !/^ldaps?:\/\//.test(next.ldap_url)) throw problem("ldap.url", "required", "ldap:// or ldaps:// address.");
      if (!next.ldap_base_dn) throw problem("ldap.baseDn", "required", "Where people are searched.");
      if (!next.ldap_user_filter.includes("{{login}}")) throw problem("ldap.userFilter", "invalid_format", "The filter names {{login}}.");
    }
    const departments = [...new Set((input.groupMappings ?? []).flatMap((m) => m.departmentIds))];
    if (departments.length) {
      const found = await trx.selectFrom("departments").select("id").where("id", "in", departments).execute();
      if (found.length !== departments.length)
        throw problem("groupMappings", "not_found", "A mapping names a department that does not exist.");
    }
    if (input.breakGlassStaffIds) {
      await trx.updateTable("staff").set({ break_glass: false }).where("break_glass", "=", true).execute();
      if (input.breakGlassStaffIds.length)
        await trx.updateTable("staff").set({ break_glass: true }).where("id", "in", input.breakGlassStaffIds).execute();
    }
    if (next.password_sign_in === "break_glass") {
      if (!next.oidc_enabled && !next.ldap_enabled)
        throw problem("passwordSignIn", "sso_required", "Turn on single sign-on before turning off password sign-in.");
      const admins = await trx
        .selectFrom("staff")
        .select("id")
        .where("break_glass", "=", true)
        .where("role", "=", "admin")
        .where("active", "=", true)
        .where("password_hash", "is not", null)
        .execute();
      if (admins.length === 0)
        throw problem(
          "breakGlassStaffIds",
          "break_glass_required",
          "Keep at least one active administrator with a password as a break-glass account.",
        );
    }
    await trx.updateTable("sso_settings").set(next).where("id", "=", 1).execute();
    return presentSsoSettings(ctx, trx);
  });
}
