import { z } from "zod";

export const articleLocales = ["zh-CN", "en"] as const;
export const articleLocale = z.enum(articleLocales);
export type ArticleLocale = z.infer<typeof articleLocale>;
export const articleVisibility = z.enum(["internal", "public"]);
export const versionStatus = z.enum(["draft", "review", "published", "superseded"]);
export type VersionStatus = z.infer<typeof versionStatus>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const tag = z.string().trim().min(1).max(40);

export const kbCategory = z.object({
  id: z.number().int(),
  name: z.string(),
  nameEn: z.string().nullable(),
  description: z.string(),
  position: z.number().int(),
  articles: z.number().int(),
});
export type KbCategory = z.infer<typeof kbCategory>;
export const kbCategoryBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
  nameEn: z.string().trim().max(80).nullable().optional(),
  description: z.string().max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

/** One language's text of an article at one version. */
export const articleVersion = z.object({
  id: z.number().int(),
  locale: articleLocale,
  number: z.number().int(),
  status: versionStatus,
  title: z.string(),
  bodyHtml: z.string(),
  author: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  reviewer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  reviewNote: z.string().nullable(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type ArticleVersion = z.infer<typeof articleVersion>;

export const articleSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  locales: z.array(articleLocale),
  categoryId: z.number().int().nullable(),
  visibility: articleVisibility,
  /** The most advanced state of its languages: published if any is live; a pending draft or review is flagged beside it. */
  status: versionStatus,
  pending: z.enum(["draft", "review"]).nullable(),
  owner: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  reviewBy: isoDate.nullable(),
  stale: z.boolean(),
  tags: z.array(z.string()),
  helpful: z.number().int(),
  notHelpful: z.number().int(),
  uses: z.number().int(),
  updatedAt: z.string(),
  archived: z.boolean(),
});
export type ArticleSummary = z.infer<typeof articleSummary>;

export const article = articleSummary.extend({
  sourceTicket: z.object({ id: z.number().int(), number: z.number().int() }).nullable(),
  /** Per language: what readers see now and the draft or review in progress. */
  variants: z.array(z.object({ locale: articleLocale, live: articleVersion.nullable(), working: articleVersion.nullable() })),
  files: z.array(
    z.object({ id: z.number().int(), filename: z.string(), contentType: z.string(), size: z.number().int(), url: z.string() }),
  ),
  permissions: z.object({ edit: z.boolean(), publish: z.boolean() }),
});
export type Article = z.infer<typeof article>;

export const articleListQuery = z.object({
  q: z.string().max(200).optional(),
  categoryId: z.coerce.number().int().positive().optional(),
  status: z.enum(["draft", "review", "published", "stale", "archived"]).optional(),
  visibility: articleVisibility.optional(),
  mine: z.enum(["true", "false"]).optional(),
});

export const createArticleBody = z.strictObject({
  locale: articleLocale.default("zh-CN"),
  title: z.string().trim().min(1).max(200),
  bodyHtml: z.string().max(500_000),
  categoryId: z.number().int().positive().nullable().optional(),
  visibility: articleVisibility.default("internal"),
  tags: z.array(tag).max(20).default([]),
  reviewBy: isoDate.nullable().optional(),
  fileIds: z.array(z.number().int().positive()).max(50).default([]),
});
/** Saves the working version of one language (a new draft on top of the live text if there is none). */
export const saveArticleBody = z.strictObject({
  locale: articleLocale,
  title: z.string().trim().min(1).max(200),
  bodyHtml: z.string().max(500_000),
  fileIds: z.array(z.number().int().positive()).max(50).optional(),
});
export const articleSettingsBody = z.strictObject({
  categoryId: z.number().int().positive().nullable().optional(),
  visibility: articleVisibility.optional(),
  tags: z.array(tag).max(20).optional(),
  ownerId: z.number().int().positive().nullable().optional(),
  reviewBy: isoDate.nullable().optional(),
  archived: z.boolean().optional(),
});
export const reviewActionBody = z.strictObject({
  locale: articleLocale,
  action: z.enum(["submit", "publish", "reject", "withdraw"]),
  note: z.string().trim().max(1000).optional(),
});

export const diffPart = z.object({ kind: z.enum(["same", "added", "removed"]), text: z.string() });
export const articleDiff = z.object({
  from: articleVersion,
  to: articleVersion,
  title: z.array(diffPart),
  body: z.array(diffPart),
});
export type ArticleDiff = z.infer<typeof articleDiff>;

/** A search hit: the title, and title and excerpt as escaped HTML with the matched words in <mark>. */
export const articleHit = z.object({
  id: z.number().int(),
  locale: articleLocale,
  title: z.string(),
  titleHtml: z.string(),
  excerptHtml: z.string(),
  categoryId: z.number().int().nullable(),
  visibility: articleVisibility,
  url: z.string(),
  score: z.number(),
});
export type ArticleHit = z.infer<typeof articleHit>;

export const synonymGroup = z.object({ id: z.number().int(), words: z.array(z.string()) });
export type SynonymGroup = z.infer<typeof synonymGroup>;
export const synonymBody = z.strictObject({ words: z.array(z.string().trim().min(1).max(30)).min(2).max(20) });

/** On the ticket page: the articles and the similar solved tickets for its text. */
export const recommendations = z.object({
  articles: z.array(articleHit.extend({ answerText: z.string(), helpfulMarks: z.number().int(), markedHelpful: z.boolean() })),
  tickets: z.array(
    z.object({
      id: z.number().int(),
      number: z.number().int(),
      subject: z.string(),
      solvedAt: z.string().nullable(),
      similarity: z.number(),
      resolution: z.string(),
      markedHelpful: z.boolean(),
    }),
  ),
});
export type Recommendations = z.infer<typeof recommendations>;
export const recommendationUseBody = z
  .strictObject({
    articleId: z.number().int().positive().optional(),
    ticketId: z.number().int().positive().optional(),
    kind: z.enum(["inserted", "helpful", "not_helpful"]),
  })
  .refine((b) => (b.articleId === undefined) !== (b.ticketId === undefined), "Name an article or a ticket.");

/** Public help center. */
export const helpSearchQuery = z.object({
  q: z.string().max(200).default(""),
  locale: articleLocale.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
  /** Suggestions for a request being written (the new-ticket form, the widget): only articles that cover enough of it. */
  suggest: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});
export const helpFeedbackBody = z.strictObject({ helpful: z.boolean(), source: z.enum(["help", "portal", "widget"]).default("help") });
export const helpVisitBody = z.strictObject({
  visitId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  source: z.enum(["portal", "widget"]),
  articleId: z.number().int().positive(),
  query: z.string().max(200).default(""),
});

export const knowledgeReport = z.object({
  deflection: z.object({
    visits: z.number().int(),
    deflected: z.number().int(),
    submitted: z.number().int(),
    /** Deflected among the settled visits (opened long enough ago, or submitted); null without any. */
    rate: z.number().nullable(),
    bySource: z.array(z.object({ source: z.string(), visits: z.number().int(), deflected: z.number().int(), submitted: z.number().int() })),
  }),
  feedback: z.object({ helpful: z.number().int(), notHelpful: z.number().int() }),
  topArticles: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      resolved: z.number().int(),
      inserted: z.number().int(),
      helpful: z.number().int(),
    }),
  ),
  contributors: z.array(
    z.object({
      staffId: z.number().int(),
      name: z.string(),
      written: z.number().int(),
      published: z.number().int(),
      used: z.number().int(),
    }),
  ),
});
export type KnowledgeReport = z.infer<typeof knowledgeReport>;
export const knowledgeReportQuery = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((q) => q.from <= q.to, { path: ["to"], message: "to must not be before from" });

/** AI assist: an OpenAI-compatible endpoint; the key is write-only. */
export const aiSettings = z.object({
  enabled: z.boolean(),
  baseUrl: z.string(),
  model: z.string(),
  hasKey: z.boolean(),
  timeoutSeconds: z.number().int(),
});
export type AiSettings = z.infer<typeof aiSettings>;
export const aiSettingsBody = z.strictObject({
  enabled: z.boolean().optional(),
  baseUrl: z
    .string()
    .trim()
    .max(500)
    .refine((u) => u === "" || /^https?:\/\/[^\s]+$/.test(u), "an http(s) address")
    .optional(),
  model: z.string().trim().max(100).optional(),
  /** A new key; null removes it. Never answered back. */
  apiKey: z.string().trim().min(1).max(500).nullable().optional(),
  timeoutSeconds: z.number().int().min(5).max(120).optional(),
});
export const aiCall = z.object({
  id: z.number().int(),
  staff: z.string().nullable(),
  ticketId: z.number().int().nullable(),
  kind: z.enum(["summary", "reply", "article"]),
  model: z.string(),
  status: z.enum(["ok", "error", "timeout"]),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type AiCall = z.infer<typeof aiCall>;
export const aiSummary = z.object({ text: z.string() });
export const aiReplyDraft = z.object({
  text: z.string(),
  citations: z.array(z.object({ id: z.number().int(), title: z.string(), url: z.string() })),
});
export type AiReplyDraft = z.infer<typeof aiReplyDraft>;
