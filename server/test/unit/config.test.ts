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

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["LOOPDESK_DEMO", "maybe"],
    ["LOOPDESK_ADMIN_EMAIL", "not-an-email"],
    ["LOOPDESK_ADMIN_PASSWORD", "short"],
    ["LOOPDESK_AUTO_CLOSE_DAYS", "0"],
  ])("a bad %s=%s stops start-up with a message naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it("LOOPDESK_DEMO=false skips the demo", () => {
    expect(loadConfig({ LOOPDESK_DEMO: "false" }).demo).toBe(false);
  });
});
