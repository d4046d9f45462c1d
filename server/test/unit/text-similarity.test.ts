import { describe, expect, it } from "vitest";
import { DUPLICATE_THRESHOLD } from "../../src/modules/tickets/duplicate-detection";
import { similarityTo } from "../../src/platform/text/text-similarity";

describe("similarityTo", () => {
  const like = similarityTo("电视开机后没声音，画面正常");

  it("scores the same request 1 and an unrelated one near 0", () => {
    expect(like("电视开机后没声音，画面正常")).toBeCloseTo(1, 5);
    expect(like("发票抬头开错了，请帮忙重开")).toBeLessThan(0.1);
  });

  it("sees a reworded repeat as a repeat (words and character pairs)", () => {
    expect(like("电视开机没有声音")).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(like("开机后电视没声音")).toBeGreaterThan(like("电视开机没有声音"));
  });

  it("is symmetric and gives the same answer however many texts are compared", () => {
    const texts = ["电视没有声音了", "Refund not received", "发票抬头开错了"];
    const forward = texts.map(like);
    expect(texts.map(like)).toEqual(forward);
    expect(similarityTo("电视没有声音了")("电视开机后没声音，画面正常")).toBeCloseTo(forward[0] as number, 10);
  });

  it("scores text without words 0", () => {
    expect(like("")).toBe(0);
    expect(similarityTo("！？…")("电视没声音")).toBe(0);
  });
});
