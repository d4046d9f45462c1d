import type { ArticleHit, ArticleLocale } from "@loopdesk/contracts/knowledge";
import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";
import { anyWordQuery, hanPairs, searchDocument, segment } from "../../platform/text/search-text";
import { escapeHtml } from "../../platform/text/sanitize-html";
import { groupMatches, relevantSuggestions } from "./suggestion-relevance";
import { expandQuery } from "./synonyms";
import { plannedWithItsValues } from "../../db/prepared-statements";

/** The search document of a published version: words and Han character pairs; the title's weigh more than the body's. */
export async function indexVersion(db: Executor, versionId: number) {
  const v = await db
    .selectFrom("kb_article_versions as v")
    .innerJoin("kb_articles as a", "a.id", "v.article_id")
    .select(["v.title", "v.body_text", "a.tags"])
    .where("v.id", "=", versionId)
    .executeTakeFirstOrThrow();
  const titleText = `${v.title} ${v.tags.join(" ")}`;
  const title = [searchDocument(titleText), ...hanPairs(titleText)].join(" ");
  const body = [searchDocument(v.body_text), ...hanPairs(v.body_text)].join(" ");
  await sql`update kb_article_versions
    set document = setweight(to_tsvector('simple', ${title}), 'A') || setweight(to_tsvector('simple', ${body}), 'B')
    where id = ${versionId}`.execute(db);
}

/** HTML-escaped text with every occurrence of the words wrapped in <mark>. */
export function highlight(text: string, words: string[]) {
  const sorted = [...new Set(words.filter(Boolean))].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return escapeHtml(text);
  const pattern = new RegExp(sorted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
  let out = "";
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out += `${escapeHtml(text.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** About `size` characters of the text around its first matched word (the start when none matches). */
export function excerpt(text: string, words: string[], size = 120) {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  const at = Math.min(...words.map((w) => lower.indexOf(w.toLowerCase())).filter((i) => i >= 0), Number.POSITIVE_INFINITY);
  const start = Number.isFinite(at) ? Math.max(0, at - Math.floor(size / 3)) : 0;
  const piece = flat.slice(start, start + size);
  return `${start > 0 ? "…" : ""}${piece}${start + size < flat.length ? "…" : ""}`;
}

/**
 * One row per article, in the order given: the asked language's row where the article has one
 * (even when another language of it came first), else its first row.
 */
export function oneLanguageEach<R extends { id: number; locale: string }>(rows: R[], locale: string): R[] {
  const best = new Map<number, R>();
  for (const r of rows) {
    const seen = best.get(r.id);
    if (!seen || (seen.locale !== locale && r.locale === locale)) best.set(r.id, r);
  }
  return [...best.values()];
}

export type SearchOptions = {
  /** Customers see public articles only; staff see internal ones too. */
  audience: "public" | "staff";
  locale?: ArticleLocale;
  limit: number;
  /** Words a ticket's text gives are many: keep the first few that mean something. */
  maxWords?: number;
  /** Suggestions for a text (a ticket, a request being written), not a search: only articles relevant enough. */
  suggest?: boolean;
};

type Hit = ArticleHit & { bodyText: string };

/**
 * Published articles for a query, best first: jieba words of the query and their synonyms, any of
 * which may match, ranked by cover density (title words count more than body words, and more
 * matched words more). One language per article: the asked one when it exists, else Chinese.
 */
export async function searchArticles(db: Executor, q: string, opts: SearchOptions): Promise<Hit[]> {
  const groups = await expandQuery(db, q, opts.maxWords ?? 16);
  const pairs = hanPairs(q).slice(0, 24);
  const tsquery = anyWordQuery([...groups, ...pairs.filter((p) => !groups.some((g) => g.includes(p))).map((p) => [p])]);
  if (!tsquery) return [];
  const locale = opts.locale ?? "zh-CN";
  const rows = await db
    .selectFrom("kb_article_versions as v")
    .innerJoin("kb_articles as a", "a.id", "v.article_id")
    .select(["a.id", "v.locale", "v.title", "v.body_text", "a.category_id", "a.visibility"])
    .select(sql<number>`ts_rank_cd(v.document, to_tsquery('simple', ${tsquery}), 1)`.as("score"))
    .where("v.status", "=", "published")
    .where("a.archived_at", "is", null)
    .where(sql<boolean>`v.document @@ to_tsquery('simple', ${tsquery})`)
    .$if(opts.audience === "public", (qb) => qb.where("a.visibility", "=", "public"))
    .$if(opts.suggest === true, (qb) => qb.select(groupMatches(groups).as("matched")))
    .orderBy("score", "desc")
    .orderBy("a.id")
    .limit(opts.limit * 3)
    .modifyEnd(plannedWithItsValues)
    .execute();
  const hits = opts.suggest
    ? await relevantSuggestions(
        db,
        groups,
        rows.map((r) => ({ ...r, matched: r.matched ?? [] })),
      )
    : rows;
  const words = groups.flat();
  return oneLanguageEach(hits, locale)
    .slice(0, opts.limit)
    .map((r) => {
      // A pair is marked only where it is a word of the article (发票 in 发票怎么开, not 么开 in 怎么开).
      const own = new Set(segment(`${r.title}\n${r.body_text}`));
      // A lone Han character (账 of 没到/账) would light up everywhere: only words and pairs are marked.
      const marked = [...words.filter((w) => !/^\p{Script=Han}$/u.test(w)), ...pairs.filter((p) => own.has(p))];
      return {
        id: r.id,
        locale: r.locale,
        title: r.title,
        titleHtml: highlight(r.title, marked),
        excerptHtml: highlight(excerpt(r.body_text, marked), marked),
        categoryId: r.category_id,
        visibility: r.visibility,
        url: r.visibility === "public" ? helpArticlePath(r.id, r.locale) : `/knowledge/${r.id}`,
        score: Math.round(Number(r.score) * 10_000) / 10_000,
        bodyText: r.body_text,
      };
    });
}

/** The help center's stable address of an article (the language as a query parameter when not Chinese). */
export const helpArticlePath = (id: number, locale: ArticleLocale = "zh-CN") =>
  `/help/articles/${id}${locale === "zh-CN" ? "" : `?lang=${locale}`}`;
