import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict";

let jieba: Jieba | undefined;
const instance = () => {
  jieba ??= Jieba.withDict(dict);
  return jieba;
};

const WORD = /[\p{L}\p{N}]/u;

/**
 * Chinese-aware tokens for PostgreSQL's 'simple' text search configuration: jieba's
 * search-mode segmentation (overlapping words) for Han text, lowercase words otherwise.
 */
export function segment(text: string): string[] {
  const out = new Set<string>();
  for (const token of instance().cutForSearch(text.slice(0, 20_000).toLowerCase(), true)) {
    const t = token.trim();
    if (t && WORD.test(t) && t.length <= 60) out.add(t);
  }
  return [...out];
}

/** Text for to_tsvector('simple', …): tokens separated by spaces. */
export const searchDocument = (...parts: (string | null | undefined)[]) => segment(parts.filter(Boolean).join(" ")).join(" ");

/** A tsquery that requires every segmented word of the user's query (escaped as quoted lexemes). */
export function searchQuery(q: string): string | null {
  const words = segment(q);
  if (words.length === 0) return null;
  // Words of the query as jieba cuts them in default mode match the index's search-mode tokens.
  const cut = instance()
    .cut(q.toLowerCase(), true)
    .map((w) => w.trim())
    .filter((w) => w && WORD.test(w));
  return (cut.length ? cut : words).map((w) => `'${w.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`).join(" & ");
}

/** jieba's words of the text in order (default mode, repeats kept), lowercase, without punctuation: a classifier's input. */
export function words(text: string): string[] {
  return instance()
    .cut(text.slice(0, 5_000).toLowerCase(), true)
    .map((w) => w.trim())
    .filter((w) => w && WORD.test(w) && w.length <= 30);
}
