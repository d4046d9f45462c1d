import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import {
  article,
  articleDiff,
  articleHit,
  articleListQuery,
  articleLocale,
  articleSettingsBody,
  articleSummary,
  articleVersion,
  createArticleBody,
  helpFeedbackBody,
  helpSearchQuery,
  helpVisitBody,
  kbCategory,
  kbCategoryBody,
  knowledgeReport,
  knowledgeReportQuery,
  recommendationUseBody,
  recommendations,
  reviewActionBody,
  saveArticleBody,
  synonymBody,
  synonymGroup,
} from "@loopdesk/contracts/knowledge";
import type { AppContext } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { rangeInstants } from "../analytics/report-range";
import { diffVersions } from "./article-diff";
import { articleFromTicket } from "./article-from-ticket";
import { getArticle, listArticles, listVersions } from "./article-read";
import { searchArticles } from "./article-search";
import { changeArticleSettings, createArticle, reviewArticle, saveArticle } from "./article-write";
import { markVisitSubmitted, recordFeedback, recordHelpVisit } from "./help-center";
import { createKbCategory, deleteKbCategory, listKbCategories, updateKbCategory } from "./kb-categories";
import { openKbFile, storeKbFile } from "./kb-files";
import { knowledgeReport as buildReport } from "./knowledge-report";
import { recommendationsFor, recordRecommendationUse } from "./recommendations";
import { createSynonyms, deleteSynonyms, listSynonyms, updateSynonyms } from "./synonyms";

const tags = ["knowledge"];
const managers = ["admin", "supervisor"] as const;

export function registerKnowledgeRoutes(app: FastifyInstance, ctx: AppContext) {
  // Categories
  route(app, {
    method: "GET",
    url: "/api/v1/kb/categories",
    summary: "Knowledge categories with their number of published articles",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(kbCategory) }) },
    handler: async () => ({ items: await listKbCategories(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/kb/categories",
    summary: "Add a knowledge category (supervisors and admins)",
    tags,
    access: managers,
    audit: { table: "kb_categories" },
    body: kbCategoryBody,
    responses: { 201: kbCategory },
    handler: async ({ body, reply }) => {
      reply.code(201);
      return createKbCategory(ctx.db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/kb/categories/:id",
    summary: "Rename or reorder a knowledge category",
    tags,
    access: managers,
    audit: { table: "kb_categories" },
    params: idParams,
    body: kbCategoryBody,
    responses: { 200: kbCategory },
    handler: ({ params, body }) => updateKbCategory(ctx.db, params.id, body),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/kb/categories/:id",
    summary: "Remove a knowledge category (its articles stay, uncategorized)",
    tags,
    access: managers,
    audit: { table: "kb_categories" },
    params: idParams,
    handler: async ({ params }) => {
      await deleteKbCategory(ctx.db, params.id);
    },
  });

  // Articles
  route(app, {
    method: "GET",
    url: "/api/v1/kb/articles",
    summary: "Articles by category, state (draft, review, published, stale, archived), visibility, the caller's own, or a search",
    tags,
    access: "staff",
    query: articleListQuery,
    responses: { 200: z.object({ items: z.array(articleSummary) }) },
    handler: async ({ principal, query }) => ({ items: await listArticles(ctx.db, principal, query) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/kb/articles",
    summary: "Write a new article (a draft in one language)",
    tags,
    access: "staff",
    body: createArticleBody,
    responses: { 201: article },
    handler: async ({ principal, body, reply }) => {
      reply.code(201);
      return createArticle(ctx.db, principal, body);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/kb/articles/:id",
    summary: "An article: per language the live text and the draft or review in progress, its files",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: article },
    handler: ({ principal, params }) => getArticle(ctx.db, principal, params.id),
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/kb/articles/:id/draft",
    summary: "Save one language's text as the draft in progress (readers keep the live text until it is published)",
    tags,
    access: "staff",
    params: idParams,
    body: saveArticleBody,
    responses: { 200: article },
    handler: ({ principal, params, body }) => saveArticle(ctx.db, principal, params.id, body),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/kb/articles/:id",
    summary: "Category, visibility (supervisors), tags, owner, review-by date, archive",
    tags,
    access: "staff",
    params: idParams,
    body: articleSettingsBody,
    responses: { 200: article },
    handler: ({ principal, params, body }) => changeArticleSettings(ctx.db, principal, params.id, body),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/kb/articles/:id/review",
    summary: "Send a draft for review or take it back; publish it or send it back with a note (supervisors and admins)",
    tags,
    access: "staff",
    params: idParams,
    body: reviewActionBody,
    responses: { 200: article },
    handler: ({ principal, params, body }) => reviewArticle(ctx.db, principal, params.id, body),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/kb/articles/:id/versions",
    summary: "Every version of the article in one language, newest first",
    tags,
    access: "staff",
    params: idParams,
    query: z.object({ locale: articleLocale.default("zh-CN") }),
    responses: { 200: z.object({ items: z.array(articleVersion) }) },
    handler: async ({ params, query }) => ({ items: await listVersions(ctx.db, params.id, query.locale) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/kb/articles/:id/diff",
    summary: "What changed between two versions of the article, word by word",
    tags,
    access: "staff",
    params: idParams,
    query: z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() }),
    responses: { 200: articleDiff },
    handler: ({ params, query }) => diffVersions(ctx.db, params.id, query.from, query.to),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/article",
    summary: "Draft an article from a solved ticket: its question and resolution, the customer's data removed",
    tags,
    access: "staff",
    params: idParams,
    responses: { 201: article },
    handler: async ({ principal, params, reply }) => {
      reply.code(201);
      return articleFromTicket(ctx.db, principal, params.id);
    },
  });

  // Files
  route(app, {
    method: "POST",
    url: "/api/v1/kb/files",
    summary: "Upload an image or file for an article (multipart field 'file'); name it in fileIds when saving",
    tags,
    access: "staff",
    bodyLimit: ctx.config.maxUploadBytes + 64 * 1024,
    responses: { 201: z.object({ id: z.number(), filename: z.string(), contentType: z.string(), size: z.number(), url: z.string() }) },
    handler: async ({ req, reply, principal }) => {
      if (!req.isMultipart())
        throw ValidationError([{ path: "file", code: "multipart_required", message: "Send the file as multipart/form-data." }]);
      const file = await req.file({ limits: { fileSize: ctx.config.maxUploadBytes, files: 1 } });
      if (!file) throw ValidationError([{ path: "file", code: "required", message: "No file was sent." }]);
      reply.code(201);
      return storeKbFile(ctx.db, ctx.files, principal.id, file.filename, await file.toBuffer());
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/kb/files/:id",
    summary: "A knowledge file (public article files for anyone, the rest for staff), never served as active content",
    tags,
    access: "public",
    params: idParams,
    handler: async ({ reply, principal, params }) => {
      const file = await openKbFile(ctx.db, ctx.files, principal, params.id);
      reply.headers(file.headers);
      return reply.send(file.stream);
    },
  });

  // Synonyms
  route(app, {
    method: "GET",
    url: "/api/v1/kb/synonyms",
    summary: "Search synonyms: words that find each other (退款/退钱)",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(synonymGroup) }) },
    handler: async () => ({ items: await listSynonyms(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/kb/synonyms",
    summary: "Add a group of synonyms (admins)",
    tags,
    access: ["admin"],
    audit: { table: "search_synonyms" },
    body: synonymBody,
    responses: { 201: synonymGroup },
    handler: async ({ body, reply }) => {
      reply.code(201);
      return createSynonyms(ctx.db, body.words);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/kb/synonyms/:id",
    summary: "Change a group of synonyms (admins)",
    tags,
    access: ["admin"],
    audit: { table: "search_synonyms" },
    params: idParams,
    body: synonymBody,
    responses: { 200: synonymGroup },
    handler: ({ params, body }) => updateSynonyms(ctx.db, params.id, body.words),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/kb/synonyms/:id",
    summary: "Remove a group of synonyms (admins)",
    tags,
    access: ["admin"],
    audit: { table: "search_synonyms" },
    params: idParams,
    handler: async ({ params }) => {
      await deleteSynonyms(ctx.db, params.id);
    },
  });

  // On the ticket page
  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/recommendations",
    summary: "Articles and similar solved tickets (with their resolution) for the ticket's text",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: recommendations },
    handler: ({ principal, params }) => recommendationsFor(ctx.db, principal, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/recommendations/uses",
    summary: "Record that a suggestion was inserted into a reply, or marked helpful or not",
    tags,
    access: "staff",
    params: idParams,
    body: recommendationUseBody,
    handler: async ({ principal, params, body }) => {
      await recordRecommendationUse(ctx.db, principal, params.id, body);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/kb/report",
    summary: "Knowledge report: 自助解决 (deflection), articles that resolved most tickets, contribution per agent",
    tags,
    access: managers,
    query: knowledgeReportQuery,
    responses: { 200: knowledgeReport },
    handler: ({ query }) => {
      const { start, end } = rangeInstants(query.from, query.to, ctx.config.timeZone);
      return buildReport(ctx.db, start, end);
    },
  });

  // Public help center API (the portal's new-ticket form and the widget)
  route(app, {
    method: "GET",
    url: "/api/v1/help/search",
    summary: "Search the help center's published public articles (as the customer types)",
    tags: ["help-center"],
    access: "public",
    query: helpSearchQuery,
    responses: { 200: z.object({ items: z.array(articleHit) }) },
    handler: async ({ query }) => ({
      items: (
        await searchArticles(ctx.db, query.q, { audience: "public", locale: query.locale, limit: query.limit, suggest: query.suggest })
      ).map(({ bodyText: _, ...hit }) => hit),
    }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/help/articles/:id/feedback",
    summary: "Was this article helpful",
    tags: ["help-center"],
    access: "public",
    params: idParams,
    body: helpFeedbackBody,
    handler: async ({ params, body }) => {
      await recordFeedback(ctx.db, params.id, body.helpful, body.source);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/help/visits",
    summary: "A customer opened a suggested article from the new-ticket form or the widget",
    tags: ["help-center"],
    access: "public",
    body: helpVisitBody,
    handler: async ({ body }) => {
      await recordHelpVisit(ctx.db, body);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/help/visits/:visitId/submitted",
    summary: "The visit ended in a request after all (not a deflection)",
    tags: ["help-center"],
    access: "public",
    params: z.object({ visitId: helpVisitBody.shape.visitId }),
    handler: async ({ params }) => {
      await markVisitSubmitted(ctx.db, params.visitId);
    },
  });
}
