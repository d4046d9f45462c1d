import { type Kysely, sql } from "kysely";

// Single sign-on: one OpenID Connect provider and one LDAP/Active Directory, their group → role and
// department mappings, just-in-time staff, and whether staff may still sign in with a password
// (break-glass accounts always may). Staff remember which directory they came from.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table sso_settings (
  id integer primary key check (id = 1),
  oidc_enabled boolean not null default false,
  oidc_name text not null default '',
  oidc_issuer text,
  oidc_client_id text,
  oidc_client_secret_sealed text,
  oidc_scopes text not null default 'openid email profile',
  oidc_groups_claim text not null default 'groups',
  ldap_enabled boolean not null default false,
  ldap_url text,
  ldap_bind_dn text,
  ldap_bind_password_sealed text,
  ldap_base_dn text,
  ldap_user_filter text not null default '(&(objectClass=inetOrgPerson)(mail={{login}}))',
  ldap_group_base_dn text,
  ldap_group_filter text not null default '(member={{dn}})',
  group_mappings jsonb not null default '[]',
  jit boolean not null default true,
  default_role text check (default_role in ('agent', 'supervisor', 'admin')),
  password_sign_in text not null default 'all' check (password_sign_in in ('all', 'break_glass')),
  updated_at timestamptz not null default now()
)`.execute(db);
  await sql`insert into sso_settings (id) values (1)`.execute(db);
  await sql`alter table staff add column sso_source text check (sso_source in ('oidc', 'ldap'))`.execute(db);
  await sql`alter table staff add column sso_subject text`.execute(db);
  await sql`alter table staff add column break_glass boolean not null default false`.execute(db);
  await sql`create unique index staff_sso_subject on staff (sso_source, sso_subject) where sso_subject is not null`.execute(db);
}
