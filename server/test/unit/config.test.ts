import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";

describe("configuration", () => {
  it("has working defaults: port 3000, ./data, embedded database, demo on", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, demo: true, autoCloseDays: 4, adminEmail: "admin@loopdesk.local" });
    expect(c.dataDir).toMatch(/data$/);
  });

  it("selects PostgreSQL with a postgres:// DATABASE_URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@localhost/db" }).databaseUrl).toBe("postgres://u@localhost/db");
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
  });

  it("a replica, a LISTEN connection and unnamed statements for PgBouncer come with DATABASE_URL only", () => {
    const c = loadConfig({
      DATABASE_URL: "postgres://u@pgbouncer:6432/db",
      DATABASE_READ_URL: "postgres://u@replica/db",
      DATABASE_LISTEN_URL: "postgres://u@primary/db",
      DATABASE_PREPARED_STATEMENTS: "false",
    });
    expect(c).toMatchObject({
      databaseReadUrl: "postgres://u@replica/db",
      databaseListenUrl: "postgres://u@primary/db",
      preparedStatements: false,
    });
    expect(loadConfig({}).preparedStatements).toBe(true);
    expect(() => loadConfig({ DATABASE_READ_URL: "postgres://u@replica/db" })).toThrow(/DATABASE_READ_URL.*need DATABASE_URL/);
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["LOOPDESK_DEMO", "maybe"],
    ["LOOPDESK_ADMIN_EMAIL", "not-an-email"],
    ["LOOPDESK_ADMIN_PASSWORD", "short"],
    ["LOOPDESK_AUTO_CLOSE_DAYS", "0"],
    ["SMTP_URL", "http://mail.example.com"],
  ])("a bad %s=%s stops start-up with a message naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it("never echoes a value that may hold a credential", () => {
    for (const [name, value] of [
      ["LOOPDESK_ADMIN_PASSWORD", "secret7"],
      ["DATABASE_URL", "mysql://u:hunter2pass@db/x"],
      ["DATABASE_READ_URL", "mysql://u:hunter2pass@replica/x"],
      ["SMTP_URL", "ftp://u:hunter2pass@mail"],
    ]) {
      const err = (() => {
        try {
          loadConfig({ [name as string]: value });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err?.message).toContain(name);
      expect(err?.message).not.toContain(value);
    }
    expect(() => loadConfig({ PORT: "abc" })).toThrow(/"abc"/);
  });

  it("SMTP_URL turns outgoing mail on, with MAIL_FROM or a default sender", () => {
    expect(loadConfig({}).smtp).toBeUndefined();
    expect(loadConfig({ SMTP_URL: "smtp://mail.example.com:2525" }).smtp).toEqual({
      url: "smtp://mail.example.com:2525",
      from: "Loopdesk <no-reply@mail.example.com>",
    });
    expect(loadConfig({ SMTP_URL: "smtps://u:p@mail.example.com", MAIL_FROM: "客服 <help@example.com>" }).smtp?.from).toBe(
      "客服 <help@example.com>",
    );
  });

  it("LOOPDESK_DEMO=false skips the demo", () => {
    expect(loadConfig({ LOOPDESK_DEMO: "false" }).demo).toBe(false);
  });
});
