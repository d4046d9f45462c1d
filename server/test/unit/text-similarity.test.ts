import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DUPLICATE_THRESHOLD } from "../../src/modules/tickets/duplicate-detection";
import { segment } from "../../src/platform/text/search-text";
import { featuresFromBytes, featuresToBytes, similarityTo, textFeatures } from "../../src/platform/text/text-similarity";
import { generateCorpus } from "../../../bench/lib/classification-corpus";

/**
 * A text's features spelled out as strings, as a set: its jieba words and the character pairs of its
 * Han text (everything but letters and digits removed first) — what the kept hashes stand for.
 */
function asStrings(text: string): Set<string> {
  const out = new Set(segment(text));
  for (const run of text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "")
    .match(/\p{Script=Han}+/gu) ?? []) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  }
  return out;
}

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

  it("scores by kept features (hashes) as by the texts' own words and character pairs", () => {
    const texts = generateCorpus(300, 7).map((c) => c.text);
    for (let i = 0; i + 1 < texts.length; i++) {
      const [a, b] = [asStrings(texts[i] as string), asStrings(texts[i + 1] as string)];
      const shared = [...a].filter((f) => b.has(f)).length;
      const score = similarityTo(texts[i] as string)(texts[i + 1] as string);
      expect(score).toBeCloseTo(shared / Math.sqrt(a.size * b.size), 10);
      expect(textFeatures(texts[i] as string).length).toBe(a.size);
    }
  });

  it("hashes exactly the words and character pairs the features stand for, in any script", () => {
    // The features spelled out as strings, hashed with 32-bit FNV-1a over their UTF-16 units, sorted and distinct.
    const fnv = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return h >>> 0;
    };
    const reference = (text: string) => [...new Set([...asStrings(text)].map(fnv))].sort((x, y) => x - y);
    // Han of both planes, other scripts, case, digits, punctuation, spaces and lone surrogates.
    const piece = fc.constantFrom(..."电视没声音开机〇々𠀀𪚥ÀİABcd٣é한글カナ，。！ \n-_\ud800".split(""), "𠀀", "𪚥", "\ud800");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        expect([...textFeatures(text)]).toEqual(reference(text));
      }),
      { numRuns: 500 },
    );
    for (const { text } of generateCorpus(300, 11)) expect([...textFeatures(text)]).toEqual(reference(text));
  });

  it("keeps features as bytes and reads them back unchanged, sorted and distinct", () => {
    const f = textFeatures("电视开机后没声音，画面正常 TV no sound");
    expect([...f]).toEqual([...new Set(f)].sort((x, y) => x - y));
    const bytes = featuresToBytes(f);
    expect(bytes.length).toBe(f.length * 4);
    // Read from a view at an odd offset, as a driver's buffer may hand it over.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect([...featuresFromBytes(shifted.subarray(1))]).toEqual([...f]);
    expect(similarityTo("电视开机后没声音，画面正常 TV no sound")(featuresFromBytes(bytes))).toBeCloseTo(1, 10);
  });
});
