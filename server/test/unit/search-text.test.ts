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

  it("keeps the tokens of texts in use while thousands of others pass, and segments a forgotten one alike", () => {
    const open = "耳机左耳没有声音，订单号 DD20261234567";
    const first = segment(open);
    for (let i = 0; i < 5000; i++) {
      segment(`第 ${i} 个请求：快递一直没到`);
      // A customer's open ticket, compared with each of their new requests, stays kept.
      if (i % 1000 === 0) expect(segment(open)).toBe(first);
    }
    expect(segment(open)).toBe(first);
    const passed = segment("第 0 个请求：快递一直没到");
    expect(passed).toEqual(segment("第 0 个请求：快递一直没到"));
    expect(passed).toContain("快递");
  });
});
