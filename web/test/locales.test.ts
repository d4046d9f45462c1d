import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = path.resolve(__dirname, "../src/locales");
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Record<string, unknown>;
const keys = (o: Record<string, unknown>, prefix = ""): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === "object" ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe("translations", () => {
  it("zh-CN and en have the same keys, none empty", () => {
    const zh = load("zh-CN.json");
    const en = load("en.json");
    expect(keys(zh).sort()).toEqual(keys(en).sort());
    for (const k of keys(zh)) {
      const get = (o: Record<string, unknown>) => k.split(".").reduce<unknown>((a, p) => (a as Record<string, unknown>)[p], o);
      expect(String(get(zh)).trim(), `zh-CN ${k}`).not.toBe("");
      expect(String(get(en)).trim(), `en ${k}`).not.toBe("");
    }
  });

  it("every error code the API can return has a message in both languages", async () => {
    const { errorCodes } = await import("@loopdesk/contracts/common");
    for (const code of errorCodes) {
      expect(keys(load("zh-CN.json"))).toContain(`errors.${code}`);
      expect(keys(load("en.json"))).toContain(`errors.${code}`);
    }
  });
});
