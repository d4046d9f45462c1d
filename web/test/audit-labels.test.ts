import fs from "node:fs";
import path from "node:path";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { auditActionLabel } from "../src/features/security/audit-labels";

const root = path.resolve(__dirname, "../..");
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(root, "web/src/locales", name), "utf8")) as Record<string, unknown>;

/** Every audit action the server writes by name: a route's `audit: { action }` or a `recordAudit(…, { action })` or `auditLog.record({ action })`. */
function recordedActions() {
  const files = fs.readdirSync(path.join(root, "server/src"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const actions = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, "server/src", file), "utf8");
    for (const m of text.matchAll(/action: "([a-z0-9_.-]+)"/g)) {
      const before = text.slice(Math.max(0, (m.index ?? 0) - 120), m.index);
      if (/audit: \{\s*$|(recordAudit|auditLog\.record)\([^)]*$/.test(before)) actions.add(m[1] as string);
    }
  }
  return [...actions];
}

describe("审计日志 actions", () => {
  it("every action the server records reads as words in both languages, not as its code", async () => {
    const actions = recordedActions();
    // The scan finds the routes' and the direct records' actions (a scan that finds none proves nothing).
    expect(actions).toEqual(expect.arrayContaining(["auth.login", "workspace-exports.create", "backups.create", "imports.complete"]));
    for (const lng of ["zh-CN", "en"]) {
      const i18n = i18next.createInstance();
      await i18n.init({ lng, resources: { [lng]: { translation: load(`${lng}.json`) } }, interpolation: { escapeValue: false } });
      for (const action of actions) expect(auditActionLabel(i18n.t.bind(i18n), i18n, action), `${lng} ${action}`).not.toBe(action);
    }
  });
});
