import { Jieba } from "@node-rs/jieba";
import { lazyModule } from "../modules/lazy-module";

// The dictionary (about 12 MB read from disk) is loaded with the first text to segment, not at start.
const dictionary = lazyModule<{ dict: Buffer }>("@node-rs/jieba/dict.js");
let jieba: Jieba | undefined;
const instance = () => {
  jieba ??= Jieba.withDict(dictionary().dict);
  return jieba;
};

const WORD = /[\p{L}\p{N}]/u;

/**
 * Texts segmented lately (up to 4,000 characters each), kept: see segment. The least recently used
 * goes first, beyond 4,096 texts or a million characters of them (a few MB with their tokens):
 * about two weeks of a helpdesk taking 200 requests a day, the duplicate check's seven-day window.
 */
const segmentedLately = new Map<string, readonly string[]>();
const KEPT_TEXTS = 4096;
const KEPT_CHARS = 1_000_000;
let keptChars = 0;

/**
 * Chinese-aware tokens for PostgreSQL's 'simple' text search configuration: jieba's
 * search-mode segmentation (overlapping words) for Han text, lowercase words otherwise.
 * Recent texts' tokens are kept: a new ticket's text is segmented for its search document and
 * again for the duplicate check, and a customer's open tickets are compared with each of their
 * new requests (jieba was 6–8% of a creation's time on the embedded engine).
 */
export function segment(text: string): readonly string[] {
  const kept = segmentedLately.get(text);
  if (kept) {
    segmentedLately.delete(text);
    segmentedLately.set(text, kept);
    return kept;
  }
  const out = new Set<string>();
  for (const token of instance().cutForSearch(text.slice(0, 20_000).toLowerCase(), true)) {
    const t = token.trim();
    if (t && WORD.test(t) && t.length <= 60) out.add(t);
  }
  const tokens = [...out];
  if (text.length <= 4_000) {
    while (segmentedLately.size >= KEPT_TEXTS || (segmentedLately.size > 0 && keptChars + text.length > KEPT_CHARS)) {
      const oldest = segmentedLately.keys().next().value as string;
      segmentedLately.delete(oldest);
      keptChars -= oldest.length;
    }
    segmentedLately.set(text, tokens);
    keptChars += text.length;
  }
  return tokens;
}

/**
 * A ticket's subject and description as one text, as its search document joins them: the duplicate
 * check compares such texts, so each is segmented once (segment keeps it).
 */
export const ticketText = (subject: string, description: string) => `${subject} ${description}`;

/** A word as a quoted tsquery lexeme. */
const lexeme = (w: string) => `'${w.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`;

/** Text for to_tsvector('simple', …): tokens separated by spaces (of the parts joined by a space: see ticketText). */
export const searchDocument = (...parts: (string | null | undefined)[]) => segment(parts.filter(Boolean).join(" ")).join(" ");

/** A word in a tsquery; one jieba cuts into several (退钱 → 退 钱) must match all of its parts. */
function term(w: string) {
  const parts = words(w);
  return parts.length > 1 ? `(${parts.map(lexeme).join(" & ")})` : lexeme(parts[0] ?? w);
}
/** A word or any of its synonyms. */
const wordOrSame = (w: string, synonyms: readonly string[][]) => {
  const same = [...new Set([w, ...synonyms.filter((g) => g.includes(w)).flat()])];
  return same.length === 1 ? lexeme(w) : `(${same.map(term).join(" | ")})`;
};

/**
 * A tsquery that requires every segmented word of the user's query (escaped as quoted lexemes),
 * each word or one of its synonyms (groups of words that mean the same, e.g. 退款/退钱).
 */
export function searchQuery(q: string, synonyms: readonly string[][] = []): string | null {
  const segmented = segment(q);
  if (segmented.length === 0) return null;
  // Words of the query as jieba cuts them in default mode match the index's search-mode tokens.
  const cut = instance()
    .cut(q.toLowerCase(), true)
    .map((w) => w.trim())
    .filter((w) => w && WORD.test(w));
  return (cut.length ? cut : segmented).map((w) => wordOrSame(w, synonyms)).join(" & ");
}

/** jieba's words of the text in order (default mode, repeats kept), lowercase, without punctuation: a classifier's input. */
export function words(text: string): string[] {
  return instance()
    .cut(text.slice(0, 5_000).toLowerCase(), true)
    .map((w) => w.trim())
    .filter((w) => w && WORD.test(w) && w.length <= 30);
}

/** Words that say nothing about what a request is about (question words, pronouns, particles). */
const STOPWORDS = new Set(
  "的 了 是 我 你 他 她 它 我们 你们 在 有 和 与 就 都 也 还 又 吗 呢 吧 啊 呀 么 怎么 怎样 如何 什么 为什么 请问 请 一下 一个 这个 那个 这 那 能 能不能 可以 可不可以 要 想 会 把 被 给 让 对 从 到 不 没 没有 a an the is are to of and or for in on how what why do does i my".split(
    " ",
  ),
);

/** The query's meaningful words (jieba default mode, lowercase, no stopwords, at most `max`). */
export function queryWords(q: string, max = 16): string[] {
  const out: string[] = [];
  for (const w of instance().cut(q.slice(0, 2_000).toLowerCase(), true)) {
    const word = w.trim();
    if (word && WORD.test(word) && word.length <= 30 && !STOPWORDS.has(word) && !out.includes(word)) out.push(word);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * A tsquery matching any of the groups, each group any of its words (a word and its synonyms):
 * ranking then prefers the documents that match more of them.
 */
export function anyWordQuery(groups: string[][]) {
  const terms = groups.filter((g) => g.length > 0).map((g) => (g.length === 1 ? term(g[0] as string) : `(${g.map(term).join(" | ")})`));
  return terms.length ? terms.join(" | ") : null;
}

/** The text cut into jieba words with everything between them kept (spaces, punctuation, line breaks): joined, the text again. */
export const tokens = (text: string): string[] => instance().cut(text, true);

const HAN = /\p{Script=Han}/u;

/**
 * Adjacent pairs of Han characters: "怎么开发票" is cut 怎么/开发/票, yet its pair 发票 still meets
 * the word 发票 of a document. Indexed beside the words where recall matters more than size.
 */
export function hanPairs(text: string): string[] {
  const out = new Set<string>();
  const chars = [...text.slice(0, 20_000).toLowerCase()];
  for (let i = 0; i + 1 < chars.length; i++) {
    const [a, b] = [chars[i] as string, chars[i + 1] as string];
    if (HAN.test(a) && HAN.test(b) && !STOPWORDS.has(`${a}${b}`)) out.add(`${a}${b}`);
  }
  return [...out];
}
