import { segment } from "./search-text";

const HAN = /\p{Script=Han}/u;

/** Words (jieba) plus character pairs of Han text: "没声音" and "没有声音" still share most features. */
function features(text: string): Set<string> {
  const out = new Set(segment(text));
  const chars = [...text.toLowerCase()].filter((c) => HAN.test(c) || /[\p{L}\p{N}]/u.test(c));
  for (let i = 0; i + 1 < chars.length; i++) {
    const [a, b] = [chars[i] as string, chars[i + 1] as string];
    if (HAN.test(a) && HAN.test(b)) out.add(`${a}${b}`);
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
