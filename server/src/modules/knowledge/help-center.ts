import type { ArticleLocale, helpVisitBody } from "@loopdesk/contracts/knowledge";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import { NotFoundError } from "../../platform/errors";
import { oneLanguageEach } from "./article-search";
import type { Executor } from "../../platform/jobs/job-queue";

/** A visit whose customer opened an article and had not submitted after this long counts as 自助解决. */
export const DEFLECTION_AFTER_MINUTES = 30;

/** A published public article as the help center shows it: the asked language when it has one, else Chinese. */
export async function publicArticle(db: Executor, id: number, locale: ArticleLocale) {
  const rows = await db
    .selectFrom("kb_article_versions as v")
    .innerJoin("kb_articles as a", "a.id", "v.article_id")
    .leftJoin("kb_categories as c", "c.id", "a.category_id")
    .select([
      "a.id",
      "v.locale",
      "v.title",
      "v.body_html",
      "v.body_text",
      "v.published_at",
      "a.category_id",
      "c.name as category",
      "c.name_en as category_en",
    ])
    .where("a.id", "=", id)
    .where("a.visibility", "=", "public")
    .where("a.archived_at", "is", null)
    .where("v.status", "=", "published")
    .execute();
  const row = rows.find((r) => r.locale === locale) ?? rows.find((r) => r.locale === "zh-CN") ?? rows[0];
  if (!row) throw NotFoundError("Article");
  const files = await db
    .selectFrom("kb_files")
    .select(["id", "filename", "content_type", "size"])
    .where("article_id", "=", id)
    .where("content_type", "not like", "image/%")
    .orderBy("id")
    .execute();
  return { ...row, locales: rows.map((r) => r.locale), files };
}

/** The public articles of a category (or the most helpful of all), by title. */
export async function publicArticles(db: Executor, opts: { categoryId?: number; limit: number; locale: ArticleLocale }) {
  const rows = await db
    .selectFrom("kb_article_versions as v")
    .innerJoin("kb_articles as a", "a.id", "v.article_id")
    .select(["a.id", "v.locale", "v.title", "v.body_text", "a.category_id"])
    .select((eb) =>
      eb
        .selectFrom("kb_feedback as f")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("f.article_id", "=", "a.id")
        .where("f.helpful", "=", true)
        .as("helpful"),
    )
    .where("a.visibility", "=", "public")
    .where("a.archived_at", "is", null)
    .where("v.status", "=", "published")
    .$if(opts.categoryId !== undefined, (qb) => qb.where("a.category_id", "=", opts.categoryId as number))
    .execute();
  const list = oneLanguageEach(rows, opts.locale);
  list.sort(
    opts.categoryId !== undefined
      ? (a, b) => a.title.localeCompare(b.title, "zh-CN")
      : (a, b) => Number(b.helpful) - Number(a.helpful) || a.id - b.id,
  );
  return list.slice(0, opts.limit);
}

export async function recordFeedback(db: Kysely<DB>, articleId: number, helpful: boolean, source: "help" | "portal" | "widget") {
  const live = await db
    .selectFrom("kb_articles as a")
    .select("a.id")
    .where("a.id", "=", articleId)
    .where("a.visibility", "=", "public")
    .where((eb) =>
      eb.exists(
        eb.selectFrom("kb_article_versions as v").select("v.id").whereRef("v.article_id", "=", "a.id").where("v.status", "=", "published"),
      ),
    )
    .executeTakeFirst();
  if (!live) throw NotFoundError("Article");
  await db.insertInto("kb_feedback").values({ article_id: articleId, helpful, source }).execute();
}

/** A customer opened an article the new-ticket form or the widget suggested (the first one of the visit counts). */
export async function recordHelpVisit(db: Kysely<DB>, input: z.infer<typeof helpVisitBody>) {
  await db
    .insertInto("kb_help_visits")
    .values({ id: input.visitId, source: input.source, article_id: input.articleId, query: input.query })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** The visit ended in a request after all: not a deflection. */
export async function markVisitSubmitted(db: Kysely<DB>, visitId: string) {
  await db
    .updateTable("kb_help_visits")
    .set({ submitted_at: new Date() })
    .where("id", "=", visitId)
    .where("submitted_at", "is", null)
    .execute();
}
