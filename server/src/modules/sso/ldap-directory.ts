import { Client, EqualityFilter, InvalidCredentialsError } from "ldapts";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import type { DirectoryIdentity } from "./directory-staff";
import type { SsoRow } from "./sso-settings";

const TIMEOUT_MS = 10_000;

export const DirectoryUnavailableError = () =>
  new AppError(503, "internal_error", "The company directory does not answer; try again shortly.");

/** A value inside an LDAP filter, escaped as RFC 4515 says (via ldapts's own filter encoder). */
const escapeValue = (v: string) => new EqualityFilter({ attribute: "x", value: v }).toString().slice(3, -1);
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => escapeValue(values[k] ?? ""));
const first = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? "") : v === undefined ? "" : String(v));

async function withServiceBind<T>(ctx: AppContext, row: SsoRow, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: row.ldap_url as string, timeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });
  try {
    if (row.ldap_bind_dn)
      await client.bind(row.ldap_bind_dn, row.ldap_bind_password_sealed ? ctx.secrets.reveal(row.ldap_bind_password_sealed) : "");
    return await work(client);
  } catch (err) {
    if (err instanceof AppError) throw err;
    ctx.logger.warn({ err: String((err as Error).message ?? err) }, "LDAP directory unavailable");
    throw DirectoryUnavailableError();
  } finally {
    await client.unbind().catch(() => {});
  }
}

async function findPerson(client: Client, row: SsoRow, login: string) {
  const { searchEntries } = await client.search(row.ldap_base_dn as string, {
    scope: "sub",
    filter: fill(row.ldap_user_filter, { login }),
    attributes: ["dn", "cn", "displayName", "mail", "uid", "sAMAccountName", "memberOf"],
    sizeLimit: 2,
  });
  return searchEntries.length === 1 ? searchEntries[0] : undefined;
}

async function groupsOf(client: Client, row: SsoRow, entry: Record<string, unknown> & { dn: string }, login: string) {
  const groups = new Set<string>();
  const memberOf = entry.memberOf;
  for (const dn of Array.isArray(memberOf) ? memberOf : memberOf ? [memberOf] : []) groups.add(String(dn));
  if (row.ldap_group_base_dn) {
    const { searchEntries } = await client.search(row.ldap_group_base_dn, {
      scope: "sub",
      filter: fill(row.ldap_group_filter, { dn: entry.dn, login }),
      attributes: ["cn"],
    });
    for (const g of searchEntries) {
      groups.add(g.dn);
      if (g.cn) groups.add(first(g.cn));
    }
  }
  // A group DN's first name (cn=helpdesk-agents,ou=…) counts as its name too.
  for (const g of [...groups]) {
    const m = /^cn=([^,]+),/i.exec(g);
    if (m?.[1]) groups.add(m[1]);
  }
  return [...groups];
}

/**
 * LDAP/Active Directory sign-in: the service account finds the person by the user filter, the
 * person's own DN binds with the password given, their groups are read (memberOf, and a group
 * search when a group base is set). Answers null for an unknown person or a wrong password.
 */
export async function ldapSignIn(ctx: AppContext, row: SsoRow, login: string, password: string): Promise<DirectoryIdentity | null> {
  if (!row.ldap_enabled || !password) return null;
  return withServiceBind(ctx, row, async (client) => {
    const entry = await findPerson(client, row, login);
    if (!entry) return null;
    const own = new Client({ url: row.ldap_url as string, timeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });
    try {
      await own.bind(entry.dn, password);
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return null;
      throw err;
    } finally {
      await own.unbind().catch(() => {});
    }
    return {
      source: "ldap" as const,
      subject: entry.dn,
      email: first(entry.mail) || login,
      name: first(entry.displayName) || first(entry.cn),
      groups: await groupsOf(client, row, entry, login),
    };
  });
}

/**
 * Which of these directory people still match the user filter (AD's disabled accounts are kept
 * out by a filter such as `(!(userAccountControl:1.2.840.113556.1.4.803:=2))`). Answers the
 * emails no longer found; throws when the directory does not answer (nobody is signed out then).
 */
export async function ldapMissing(ctx: AppContext, row: SsoRow, people: { email: string }[]) {
  return withServiceBind(ctx, row, async (client) => {
    const missing: string[] = [];
    for (const p of people) if (!(await findPerson(client, row, p.email))) missing.push(p.email);
    return missing;
  });
}
