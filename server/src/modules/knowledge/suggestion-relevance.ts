import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";
import { anyWordQuery } from "../../platform/text/search-text";

/**
 * How much of a text an article must cover to be suggested for it: the share of the text's words
 * found in the article, each word weighted by how rare it is among the published articles (a word
 * most articles have, like 客服 or 不到, says little). Chosen on the labelled set
 * (server/test/support/retrieval-set.ts with its questions the articles do not answer): every
 * answering article found covers at least 0.18 of its question; most unrelated ones under 0.1.
 */
export const MIN_COVERAGE = 0.12;
/** …and score at least this share of the best suggestion's (the rest is noise next to a clear answer). */
export const MIN_SHARE_OF_BEST = 0.4;
/**
 * Among a handful of articles every word looks common (the one article about 退款 has 退款): rarity is
 * judged as if there were at least this many, so a small knowledge base is weighed more evenly.
 */
const MIN_COLLECTION = 20;

/** A boolean per word group: does the article's search document have the group (a word or any of its synonyms)? */
export const groupMatches = (groups: string[][]): RawBuilder<boolean[]> =>
  sql<boolean[]>`array[${sql.join(groups.map((g) => sql`v.document @@ to_tsquery('simple', ${anyWordQuery([g])})`))}]::boolean[]`;

/**
 * Smoothed inverse document frequency of each group over the published articles (BM25's form, so
 * a word every article has still weighs a little); a single character counts half.
 */
async function groupWeights(db: Executor, groups: string[][]) {
  const counts = groups.map(
    (g) =>
      sql`(select count(*) from kb_article_versions v where v.status = 'published' and v.document @@ to_tsquery('simple', ${anyWordQuery([g])}))`,
  );
  const { rows } = await sql<{ total: number | string; df: (number | string)[] }>`select
      (select count(*) from kb_article_versions where status = 'published') as total,
      array[${sql.join(counts)}]::int[] as df`.execute(db);
  const total = Math.max(MIN_COLLECTION, Number(rows[0]?.total ?? 0));
  return groups.map((g, i) => {
    const df = Number(rows[0]?.df[i] ?? 0);
    const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
    return g.some((w) => [...w].length > 1) ? idf : idf / 2;
  });
}

/**
 * The hits worth suggesting for a text (not for a search someone typed: there every match is
 * listed, best first): enough of the text covered, and not far behind the best.
 */
export async function relevantSuggestions<R extends { score: number; matched: boolean[] }>(db: Executor, groups: string[][], hits: R[]) {
  if (hits.length === 0 || groups.length === 0) return [];
  const weights = await groupWeights(db, groups);
  const all = weights.reduce((s, w) => s + w, 0);
  const best = Math.max(...hits.map((h) => Number(h.score)));
  return hits.filter((h) => {
    const covered = weights.reduce((s, w, i) => s + (h.matched[i] ? w : 0), 0);
    return all > 0 && covered / all >= MIN_COVERAGE && Number(h.score) >= MIN_SHARE_OF_BEST * best;
  });
}
