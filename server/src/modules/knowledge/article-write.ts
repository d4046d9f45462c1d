import type { articleSettingsBody, createArticleBody, reviewActionBody, saveArticleBody } from "@loopdesk/contracts/knowledge";
import { type Kysely, type Transaction, type Updateable, sql } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import type { ArticleLocale, KbArticleVersionsTable } from "../../db/schema-knowledge";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../platform/errors";
import { htmlToText, sanitizeArticleHtml } from "../../platform/text/sanitize-html";
import { getArticle, mayPublish } from "./article-read";
import { indexVersion } from "./article-search";

const body = (html: string) => {
  const clean = sanitizeArticleHtml(html);
  return { body_html: clean, body_text: htmlToText(clean) };
};

async function checkCategory(db: Transaction<DB>, categoryId: number | null | undefined) {
  if (categoryId == null) return;
  const c = await db.selectFrom("kb_categories").select("id").where("id", "=", categoryId).executeTakeFirst();
  if (!c) throw ValidationError([{ path: "categoryId", code: "unknown_reference", message: "No such knowledge category." }]);
}

/** Links the caller's uploaded, not yet used files to the article. */
async function linkFiles(db: Transaction<DB>, staff: StaffPrincipal, articleId: number, ids: number[] | undefined) {
  const unique = [...new Set(ids ?? [])];
  if (unique.length === 0) return;
  const res = await db
    .updateTable("kb_files")
    .set({ article_id: articleId })
    .where("id", "in", unique)
    .where((eb) => eb.or([eb("article_id", "is", null), eb("article_id", "=", articleId)]))
    .where("uploader_id", "=", staff.id)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== unique.length)
    throw ValidationError([{ path: "fileIds", code: "unknown_reference", message: "Unknown or already used file." }]);
}

/** A new article: its first language's text as a draft; the writer owns it. */
export async function createArticle(
  db: Kysely<DB>,
  staff: StaffPrincipal,
  input: z.infer<typeof createArticleBody>,
  sourceTicketId?: number,
) {
  // An agent may mark a draft public: customers read it only once a supervisor publishes it.
  const id = await db.transaction().execute(async (trx) => {
    await checkCategory(trx, input.categoryId);
    const a = await trx
      .insertInto("kb_articles")
      .values({
        category_id: input.categoryId ?? null,
        visibility: input.visibility,
        owner_id: staff.id,
        created_by: staff.id,
        review_by: input.reviewBy ?? null,
        tags: input.tags,
        source_ticket_id: sourceTicketId ?? null,
        updated_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("kb_article_versions")
      .values({
        article_id: a.id,
        locale: input.locale,
        number: 1,
        status: "draft",
        title: input.title,
        ...body(input.bodyHtml),
        author_id: staff.id,
        updated_at: new Date(),
      })
      .execute();
    await linkFiles(trx, staff, a.id, input.fileIds);
    return a.id;
  });
  return getArticle(db, staff, id);
}

async function lockArticle(trx: Transaction<DB>, id: number) {
  const a = await trx.selectFrom("kb_articles").select(["id", "owner_id"]).where("id", "=", id).forUpdate().executeTakeFirst();
  if (!a) throw NotFoundError("Article");
  return a;
}

const openVersion = (trx: Transaction<DB>, id: number, locale: ArticleLocale) =>
  trx
    .selectFrom("kb_article_versions")
    .selectAll()
    .where("article_id", "=", id)
    .where("locale", "=", locale)
    .where("status", "in", ["draft", "review"])
    .executeTakeFirst();

/**
 * Saves one language's text. It goes into the version in progress (a review in progress goes back
 * to draft: what the reviewer saw has changed), or a new draft on top of the live text. The live
 * text readers see changes only when a draft is published.
 */
export async function saveArticle(db: Kysely<DB>, staff: StaffPrincipal, id: number, input: z.infer<typeof saveArticleBody>) {
  await db.transaction().execute(async (trx) => {
    await lockArticle(trx, id);
    const open = await openVersion(trx, id, input.locale);
    const now = new Date();
    if (open) {
      await trx
        .updateTable("kb_article_versions")
        .set({ title: input.title, ...body(input.bodyHtml), author_id: staff.id, status: "draft", submitted_at: null, updated_at: now })
        .where("id", "=", open.id)
        .execute();
    } else {
      const last = await trx
        .selectFrom("kb_article_versions")
        .select(sql<number>`coalesce(max(number), 0)`.as("n"))
        .where("article_id", "=", id)
        .where("locale", "=", input.locale)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("kb_article_versions")
        .values({
          article_id: id,
          locale: input.locale,
          number: Number(last.n) + 1,
          status: "draft",
          title: input.title,
          ...body(input.bodyHtml),
          author_id: staff.id,
          updated_at: now,
        })
        .execute();
    }
    await linkFiles(trx, staff, id, input.fileIds);
    await trx.updateTable("kb_articles").set({ updated_at: now }).where("id", "=", id).execute();
  });
  return getArticle(db, staff, id);
}

/** Category, visibility, tags, owner, review-by date, archive: supervisors and the article's owner. */
export async function changeArticleSettings(db: Kysely<DB>, staff: StaffPrincipal, id: number, input: z.infer<typeof articleSettingsBody>) {
  let reindex: number[] = [];
  await db.transaction().execute(async (trx) => {
    const a = await lockArticle(trx, id);
    if (!mayPublish(staff) && a.owner_id !== staff.id)
      throw ForbiddenError("Only the article's owner, supervisors and admins change its settings.");
    // What customers may read is a publishing decision.
    if (input.visibility !== undefined && !mayPublish(staff))
      throw ForbiddenError("Only supervisors and admins decide who may read an article.");
    await checkCategory(trx, input.categoryId);
    if (input.ownerId != null) {
      const owner = await trx
        .selectFrom("staff")
        .select("id")
        .where("id", "=", input.ownerId)
        .where("active", "=", true)
        .executeTakeFirst();
      if (!owner) throw ValidationError([{ path: "ownerId", code: "unknown_reference", message: "No such active staff member." }]);
    }
    await trx
      .updateTable("kb_articles")
      .set({
        ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}),
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
        ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
        ...(input.reviewBy !== undefined ? { review_by: input.reviewBy } : {}),
        ...(input.archived !== undefined ? { archived_at: input.archived ? new Date() : null } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    if (input.tags !== undefined) {
      const live = await trx
        .selectFrom("kb_article_versions")
        .select("id")
        .where("article_id", "=", id)
        .where("status", "=", "published")
        .execute();
      reindex = live.map((v) => v.id);
      for (const v of reindex) await indexVersion(trx, v);
    }
  });
  return getArticle(db, staff, id);
}

/**
 * The review steps of one language's version in progress: the writer sends it for review (or takes
 * it back); a supervisor publishes it (from draft or review: the live text is superseded and kept
 * as a version) or sends it back with a note.
 */
export async function reviewArticle(db: Kysely<DB>, staff: StaffPrincipal, id: number, input: z.infer<typeof reviewActionBody>) {
  await db.transaction().execute(async (trx) => {
    await lockArticle(trx, id);
    const open = await openVersion(trx, id, input.locale);
    if (!open) throw ConflictError("There is no draft in this language to review.");
    const now = new Date();
    const set = (values: Updateable<KbArticleVersionsTable>) =>
      trx.updateTable("kb_article_versions").set(values).where("id", "=", open.id).execute();
    if (input.action === "submit") {
      if (open.status === "review") throw ConflictError("This draft is already waiting for review.");
      await set({ status: "review", submitted_at: now, review_note: null, updated_at: now });
    } else if (input.action === "withdraw") {
      if (open.status !== "review") throw ConflictError("This draft is not waiting for review.");
      await set({ status: "draft", submitted_at: null, updated_at: now });
    } else {
      if (!mayPublish(staff)) throw ForbiddenError("Only supervisors and admins publish articles or send them back.");
      if (input.action === "reject") {
        if (open.status !== "review") throw ConflictError("Only a draft waiting for review can be sent back.");
        if (!input.note) throw ValidationError([{ path: "note", code: "required", message: "Say what should change." }]);
        await set({ status: "draft", submitted_at: null, reviewer_id: staff.id, review_note: input.note, updated_at: now });
      } else {
        await trx
          .updateTable("kb_article_versions")
          .set({ status: "superseded", document: null })
          .where("article_id", "=", id)
          .where("locale", "=", input.locale)
          .where("status", "=", "published")
          .execute();
        await set({ status: "published", published_at: now, reviewer_id: staff.id, review_note: input.note ?? null, updated_at: now });
        await indexVersion(trx, open.id);
      }
    }
    await trx.updateTable("kb_articles").set({ updated_at: now }).where("id", "=", id).execute();
  });
  return getArticle(db, staff, id);
}
