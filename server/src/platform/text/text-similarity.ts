import { segment } from "./search-text";

/** Runs of Han characters once everything but letters and digits is removed. */
const HAN_RUN = /\p{Script=Han}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
/** Only the start of a long text is compared. */
const COMPARED_CHARS = 5000;

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

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A text's features as sorted, distinct 32-bit hashes: what the comparison needs, small enough to
 * keep with each ticket (ticket_search.features), so an open ticket is compared without segmenting
 * its text again. Two different features share a hash about once in four billion pairs.
 */
export function textFeatures(text: string): Uint32Array {
  const hashes = Uint32Array.from(features(text.slice(0, COMPARED_CHARS)), hash).sort();
  let n = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[n - 1]) hashes[n++] = hashes[i] as number;
  return hashes.subarray(0, n);
}

/** Ochiai coefficient of two feature sets (textFeatures): shared features over the geometric mean of both sizes. */
export function featureSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / Math.sqrt(a.length * b.length);
}

/** Feature hashes as stored (little-endian 32-bit words), and back. */
export const featuresToBytes = (f: Uint32Array) => {
  const bytes = Buffer.alloc(f.length * 4);
  for (let i = 0; i < f.length; i++) bytes.writeUInt32LE(f[i] as number, i * 4);
  return bytes;
};
export const featuresFromBytes = (bytes: Uint8Array) => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f = new Uint32Array(buf.length >>> 2);
  for (let i = 0; i < f.length; i++) f[i] = buf.readUInt32LE(i * 4);
  return f;
};

/**
 * How alike requests are to `a`, from 0 to 1 (Ochiai coefficient over Chinese-aware features):
 * shared words and character pairs over the geometric mean of both sizes, so a short new request
 * that repeats an old one scores high even when the old one says more. `a` is segmented once for
 * all the texts it is compared with; a text given as its features (textFeatures, as kept with a
 * ticket) is not segmented at all.
 */
export function similarityTo(a: string): (b: string | Uint32Array) => number {
  const fa = textFeatures(a);
  return (b) => featureSimilarity(fa, typeof b === "string" ? textFeatures(b) : b);
}
