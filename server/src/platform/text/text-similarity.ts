import { segment } from "./search-text";

/** Only the start of a long text is compared. */
const COMPARED_CHARS = 5000;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One step of 32-bit FNV-1a: the hash so far taking one UTF-16 code unit. */
const fnvStep = (h: number, unit: number) => Math.imul(h ^ unit, FNV_PRIME);

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function hash(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return h >>> 0;
}

/** FNV-1a continued over one code point's UTF-16 units (a pair's hash is its two characters' units in turn). */
function hashCodePoint(h: number, cp: number): number {
  if (cp < 0x10000) return fnvStep(h, cp);
  return fnvStep(fnvStep(h, 0xd800 + ((cp - 0x10000) >> 10)), 0xdc00 + ((cp - 0x10000) & 0x3ff));
}

const SKIPPED = 1;
const OTHER_WORD = 2;
const HAN = 3;
const IS_WORD = /^[\p{L}\p{N}]$/u;
const IS_HAN = /^\p{Script=Han}$/u;
/** What each character of the Basic Multilingual Plane is to the pairs (0: not looked up yet). */
const kinds = new Uint8Array(0x10000);
function kindOf(cp: number): number {
  const kept = cp < 0x10000 ? (kinds[cp] as number) : 0;
  if (kept) return kept;
  const c = String.fromCodePoint(cp);
  const kind = !IS_WORD.test(c) ? SKIPPED : IS_HAN.test(c) ? HAN : OTHER_WORD;
  if (cp < 0x10000) kinds[cp] = kind;
  return kind;
}

/**
 * Hashes of a text's features: its words (jieba) plus the character pairs of its Han text, so
 * "没声音" and "没有声音" still share most features. Pairs are taken across punctuation and spaces
 * ("没声音，左耳" pairs 音 with 左), not across a letter or digit of another script. The pairs are
 * hashed as the characters are read, without a string for each: a string per pair in a Set took 21–28 µs of a
 * benchmark text's 118–146 (jieba included), this 7.5–8.
 */
function featureHashes(text: string): number[] {
  const out = segment(text).map(hash);
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    const kind = kindOf(cp);
    if (kind === SKIPPED) continue;
    if (kind === HAN) {
      if (previous >= 0) out.push(hashCodePoint(hashCodePoint(FNV_OFFSET, previous), cp) >>> 0);
      previous = cp;
    } else previous = -1;
  }
  return out;
}

/**
 * A text's features as sorted, distinct 32-bit hashes: what the comparison needs, small enough to
 * keep with each ticket (ticket_search.features), so an open ticket is compared without segmenting
 * its text again. Two different features share a hash about once in four billion pairs.
 */
export function textFeatures(text: string): Uint32Array {
  const hashes = Uint32Array.from(featureHashes(text.slice(0, COMPARED_CHARS))).sort();
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
