import { describe, expect, it } from "vitest";
import { searchQuery, segment } from "../../src/platform/text/search-text";

describe("Chinese-aware search text", () => {
  it("segments Chinese into overlapping words and keeps latin words and numbers", () => {
    const words = segment("退换货流程 Order DD2026 登录不了");
    expect(words).toEqual(expect.arrayContaining(["退换", "换货", "退换货", "流程", "order", "dd2026", "登录"]));
    expect(words.every((w) => w === w.toLowerCase())).toBe(true);
  });

  it("drops punctuation and builds a safe tsquery of quoted lexemes", () => {
    expect(segment("，。！？")).toEqual([]);
    expect(searchQuery("，。")).toBeNull();
    expect(searchQuery("物流 it's")).toBe("'物流' & 'it' & 's'");
    expect(searchQuery("a') | !('b")).toBe("'a' & 'b'");
  });
});
