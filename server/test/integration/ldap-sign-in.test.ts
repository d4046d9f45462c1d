import { Attribute, Change, Client as LdapClient } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDirectory } from "../../src/modules/sso/sso-jobs";
import { type LdapServer, group, person, startSlapd } from "../support/slapd";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/** Staff sign in with their company directory's password (a real OpenLDAP slapd started for the test). */
let ldap: LdapServer;
let t: TestApp;
let admin: Client;
let support: { id: number };
let sales: { id: number };

beforeAll(async () => {
  ldap = await startSlapd(
    [
      person("lina", "李娜", "lina@corp.test", "lina-ldap-1"),
      person("wang", "王芳", "wang@corp.test", "wang-ldap-1"),
      person("zhao", "赵磊", "zhao@corp.test", "zhao-ldap-1"),
      group("helpdesk-agents", ["lina", "wang"]),
      group("helpdesk-leads", ["wang"]),
    ].join("\n"),
  );
  ({ t, admin } = await appWithAdmin());
  support = await t.factory.department("售后支持");
  sales = await t.factory.department("销售");
  const saved = await admin.patch("/api/v1/sso/settings", {
    ldap: {
      enabled: true,
      url: ldap.url,
      bindDn: ldap.adminDn,
      bindPassword: ldap.adminPassword,
      baseDn: `ou=people,${ldap.baseDn}`,
      userFilter: "(&(objectClass=inetOrgPerson)(mail={{login}})(!(employeeType=disabled)))",
      groupBaseDn: `ou=groups,${ldap.baseDn}`,
    },
    groupMappings: [
      { group: "helpdesk-agents", role: "agent", departmentIds: [support.id] },
      { group: "helpdesk-leads", role: "supervisor", departmentIds: [sales.id] },
    ],
    jit: true,
    defaultRole: null,
  });
  expect(saved.statusCode, saved.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  ldap?.stop();
});

const signIn = (email: string, password: string) => t.anonymous.post("/api/v1/auth/login", { email, password, as: "staff" });

describe("LDAP / Active Directory sign-in", () => {
  it("keeps the bind password write-only and sealed", async () => {
    const settings = (await admin.get("/api/v1/sso/settings")).json();
    expect(settings.ldap).toMatchObject({ enabled: true, hasBindPassword: true, url: ldap.url });
    expect(JSON.stringify(settings)).not.toContain(ldap.adminPassword);
    const change = (await admin.get("/api/v1/audit-log?action=sso.update")).json().items[0];
    expect(change.after.ldap_enabled).toBe(true);
    expect(JSON.stringify(change)).not.toContain(ldap.adminPassword);
    const row = await t.ctx.db.selectFrom("sso_settings").select("ldap_bind_password_sealed").executeTakeFirstOrThrow();
    expect(row.ldap_bind_password_sealed).not.toContain(ldap.adminPassword);
    expect((await t.anonymous.get("/api/v1/auth/options")).json().sso).toEqual({ oidc: null, ldap: true, staffPasswords: "all" });
  });

  it("creates staff on their first sign-in with the role and departments their groups give; the highest role wins", async () => {
    const lina = await signIn("lina@corp.test", "lina-ldap-1");
    expect(lina.statusCode, lina.body).toBe(200);
    expect(lina.json().user).toMatchObject({ email: "lina@corp.test", name: "李娜", role: "agent", departmentIds: [support.id] });
    const wang = await signIn("wang@corp.test", "wang-ldap-1");
    expect(wang.json().user).toMatchObject({ role: "supervisor" });
    expect([...wang.json().user.departmentIds].sort()).toEqual([support.id, sales.id].sort());
    const audit = (await admin.get("/api/v1/audit-log?q=lina@corp.test")).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["auth.login", "staff.create"]));
    expect(audit.find((e: { action: string }) => e.action === "auth.login").detail.method).toBe("ldap");
  });

  it("refuses a wrong directory password, an unknown person and someone in no mapped group", async () => {
    expect((await signIn("lina@corp.test", "wrong-password")).statusCode).toBe(401);
    expect((await signIn("nobody@corp.test", "whatever-1")).statusCode).toBe(401);
    const zhao = await signIn("zhao@corp.test", "zhao-ldap-1");
    expect(zhao.statusCode).toBe(403);
    expect(await t.ctx.db.selectFrom("staff").select("id").where("email", "=", "zhao@corp.test").executeTakeFirst()).toBeUndefined();
  });

  it("someone disabled in the directory is signed out and cannot come back; a directory that does not answer signs nobody out", async () => {
    const lina = await t.signIn("lina@corp.test", "lina-ldap-1");
    expect((await lina.get("/api/v1/me")).statusCode).toBe(200);
    const directory = new LdapClient({ url: ldap.url });
    await directory.bind(ldap.adminDn, ldap.adminPassword);
    await directory.modify(
      `uid=lina,ou=people,${ldap.baseDn}`,
      new Change({ operation: "add", modification: new Attribute({ type: "employeeType", values: ["disabled"] }) }),
    );
    await directory.unbind();
    expect(await syncDirectory(t.ctx)).toEqual({ deactivated: 1 });
    expect((await lina.get("/api/v1/me")).statusCode).toBe(401);
    expect((await signIn("lina@corp.test", "lina-ldap-1")).statusCode).toBe(401);
    const entry = (await admin.get("/api/v1/audit-log?q=lina@corp.test&action=staff.update")).json().items[0];
    expect(entry).toMatchObject({ actor: { type: "system", name: "LDAP" }, after: { active: false } });

    await admin.patch("/api/v1/sso/settings", { ldap: { url: "ldap://127.0.0.1:9" } });
    const wang = await t.signIn("wang@corp.test", "wang-ldap-1").catch(() => null);
    expect(wang).toBeNull(); // the directory is down: no new sign-ins…
    await expect(syncDirectory(t.ctx)).rejects.toThrow();
    expect(
      (await t.ctx.db.selectFrom("staff").select("active").where("email", "=", "wang@corp.test").executeTakeFirstOrThrow()).active,
    ).toBe(true);
    await admin.patch("/api/v1/sso/settings", { ldap: { url: ldap.url } });
  });

  it("password sign-in can be limited to break-glass administrators once SSO is on", async () => {
    const local = await t.factory.staff({ role: "agent" });
    expect((await signIn(local.email, PASSWORD)).statusCode).toBe(200);
    const refused = await admin.patch("/api/v1/sso/settings", { passwordSignIn: "break_glass" });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].code).toBe("break_glass_required");
    const me = (await admin.get("/api/v1/me")).json().user;
    const saved = await admin.patch("/api/v1/sso/settings", { passwordSignIn: "break_glass", breakGlassStaffIds: [me.id] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().breakGlassStaffIds).toEqual([me.id]);
    expect((await signIn(local.email, PASSWORD)).statusCode).toBe(401);
    expect((await signIn(me.email, PASSWORD)).statusCode).toBe(200);
    expect((await signIn("wang@corp.test", "wang-ldap-1")).statusCode).toBe(200);
    expect((await t.anonymous.get("/api/v1/auth/options")).json().sso.staffPasswords).toBe("break_glass");
    // Only administrators change it.
    const agent = await t.signIn("wang@corp.test", "wang-ldap-1");
    expect((await agent.patch("/api/v1/sso/settings", { passwordSignIn: "all" })).statusCode).toBe(403);
    await admin.patch("/api/v1/sso/settings", { passwordSignIn: "all" });
  });
});
