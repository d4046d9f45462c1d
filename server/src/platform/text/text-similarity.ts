import { segment } from "./search-text";

/** Runs of Han characters once everything but letters and digits is removed. */
const HAN_RUN = /\p{Script=Han}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Words (jieba) plus character pairs of Han text: "没声音" and "没有声音" still share most features.
 * Pairs are taken across punctuation and spaces ("没声音，左耳" pairs 音 with 左), not across a letter
 * or digit of another script.
 */
function features(text: string): Set<string> {
  const out = new Set(segment(text));
  for (const run of text.toLowerCase().replace(NOT_WORD, "").match(HAN_RUN) ?? []) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  }
  return out;
}

/**
 * How alike requests are to `a`, from 0 to 1 (Ochiai coefficient over Chinese-aware features):
 * shared words and character pairs over the geometric mean of both sizes, so a short new request
 * that repeats an old one scores high even when the old one says more. `a` is segmented once for
 * all the texts it is compared with.
 */
export function similarityTo(a: string): (b: string) => number {
  const fa = features(a.slice(0, 5000));
  return (b) => {
    const fb = features(b.slice(0, 5000));
    if (fa.size === 0 || fb.size === 0) return 0;
    let shared = 0;
    for (const f of fa) if (fb.has(f)) shared++;
    return shared / Math.sqrt(fa.size * fb.size);
  };
}
