import type { Article, ArticleLocale, ArticleSummary, ArticleVersion, VersionStatus } from "@loopdesk/contracts/knowledge";
import type { articleListQuery } from "@loopdesk/contracts/knowledge";
import { type Selectable, sql } from "kysely";
import type { z } from "zod";
import type { KbArticleVersionsTable } from "../../db/schema-knowledge";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { searchArticles } from "./article-search";

type VersionRow = Selectable<KbArticleVersionsTable> & { author_name: string | null; reviewer_name: string | null };

/** Supervisors and admins publish; agents write drafts and send them for review. */
export const mayPublish = (staff: StaffPrincipal) => staff.role !== "agent";

const today = () => new Date().toISOString().slice(0, 10);

export const presentVersion = (v: VersionRow): ArticleVersion => ({
  id: v.id,
  locale: v.locale,
  number: v.number,
  status: v.status,
  title: v.title,
  bodyHtml: v.body_html,
  author: v.author_id !== null && v.author_name !== null ? { id: v.author_id, name: v.author_name } : null,
  reviewer: v.reviewer_id !== null && v.reviewer_name !== null ? { id: v.reviewer_id, name: v.reviewer_name } : null,
  reviewNote: v.review_note,
  updatedAt: v.updated_at.toISOString(),
  submittedAt: v.submitted_at?.toISOString() ?? null,
  publishedAt: v.published_at?.toISOString() ?? null,
});

export function selectVersions(db: Executor) {
  return db
    .selectFrom("kb_article_versions as v")
    .leftJoin("staff as au", "au.id", "v.author_id")
    .leftJoin("staff as re", "re.id", "v.reviewer_id")
    .selectAll("v")
    .select(["au.name as author_name", "re.name as reviewer_name"]);
}

function selectArticles(db: Executor) {
  return db
    .selectFrom("kb_articles as a")
    .leftJoin("staff as o", "o.id", "a.owner_id")
    .select([
      "a.id",
      "a.category_id",
      "a.visibility",
      "a.owner_id",
      "o.name as owner_name",
      "a.tags",
      "a.source_ticket_id",
      "a.updated_at",
      "a.archived_at",
    ])
    .select(sql<string | null>`to_char(a.review_by, 'YYYY-MM-DD')`.as("review_by"))
    .select(sql<number>`(select count(*) from kb_feedback f where f.article_id = a.id and f.helpful)::int`.as("helpful"))
    .select(sql<number>`(select count(*) from kb_feedback f where f.article_id = a.id and not f.helpful)::int`.as("not_helpful"))
    .select(
      sql<number>`(select count(distinct u.ticket_id) from kb_uses u where u.article_id = a.id and u.kind <> 'not_helpful')::int`.as(
        "uses",
      ),
    );
}
type ArticleRow = Awaited<ReturnType<ReturnType<typeof selectArticles>["execute"]>>[number];

/** The live and in-progress versions of the articles, by article. */
async function currentVersions(db: Executor, ids: number[]) {
  const map = new Map<number, VersionRow[]>();
  if (ids.length === 0) return map;
  const rows = await selectVersions(db)
    .where("v.article_id", "in", ids)
    .where("v.status", "in", ["draft", "review", "published"])
    .orderBy("v.locale", "desc")
    .execute();
  for (const r of rows) map.set(r.article_id, [...(map.get(r.article_id) ?? []), r as VersionRow]);
  return map;
}

function summarize(a: ArticleRow, versions: VersionRow[]): ArticleSummary {
  const live = versions.filter((v) => v.status === "published");
  const open = versions.filter((v) => v.status !== "published");
  // The title readers know: the live Chinese one first, then any live, then the draft's.
  const shown = live.find((v) => v.locale === "zh-CN") ?? live[0] ?? open.find((v) => v.locale === "zh-CN") ?? open[0];
  const pending = open.some((v) => v.status === "review") ? "review" : open.length ? "draft" : null;
  const status: VersionStatus = live.length ? "published" : (pending ?? "draft");
  return {
    id: a.id,
    title: shown?.title ?? "",
    locales: [...new Set(versions.map((v) => v.locale))].sort().reverse() as ArticleSummary["locales"],
    categoryId: a.category_id,
    visibility: a.visibility,
    status,
    pending,
    owner: a.owner_id !== null && a.owner_name !== null ? { id: a.owner_id, name: a.owner_name } : null,
    reviewBy: a.review_by,
    stale: a.review_by !== null && a.review_by <= today() && a.archived_at === null,
    tags: a.tags,
    helpful: a.helpful,
    notHelpful: a.not_helpful,
    uses: a.uses,
    updatedAt: a.updated_at.toISOString(),
    archived: a.archived_at !== null,
  };
}

/** The knowledge base as staff browse it: filtered by category, state, visibility, owner, or a search. */
export async function listArticles(db: Executor, staff: StaffPrincipal, query: z.infer<typeof articleListQuery>) {
  let ids: number[] | undefined;
  if (query.q?.trim()) {
    const hits = await searchArticles(db, query.q, { audience: "staff", limit: 50 });
    ids = hits.map((h) => h.id);
    // Drafts are not indexed: a title match finds them too.
    const drafts = await db
      .selectFrom("kb_article_versions")
      .select("article_id")
      .where("status", "in", ["draft", "review"])
      .where("title", "ilike", `%${query.q.trim().replace(/[\\%_]/g, "\\$&")}%`)
      .limit(50)
      .execute();
    ids = [...new Set([...ids, ...drafts.map((d) => d.article_id)])];
    if (ids.length === 0) return [];
  }
  const status = query.status;
  const rows = await selectArticles(db)
    .$if(ids !== undefined, (qb) => qb.where("a.id", "in", ids as number[]))
    .$if(query.categoryId !== undefined, (qb) => qb.where("a.category_id", "=", query.categoryId as number))
    .$if(query.visibility !== undefined, (qb) => qb.where("a.visibility", "=", query.visibility as "internal" | "public"))
    .$if(query.mine === "true", (qb) => qb.where((eb) => eb.or([eb("a.owner_id", "=", staff.id), eb("a.created_by", "=", staff.id)])))
    .$if(status === "archived", (qb) => qb.where("a.archived_at", "is not", null))
    .$if(status !== "archived", (qb) => qb.where("a.archived_at", "is", null))
    .$if(status === "stale", (qb) => qb.where(sql<boolean>`a.review_by <= current_date`))
    .$if(status === "published" || status === "draft" || status === "review", (qb) =>
      qb.where(sql<boolean>`exists (select 1 from kb_article_versions v where v.article_id = a.id and v.status = ${status})`),
    )
    .orderBy("a.updated_at", "desc")
    .limit(500)
    .execute();
  const versions = await currentVersions(
    db,
    rows.map((r) => r.id),
  );
  const summaries = rows.map((r) => summarize(r, versions.get(r.id) ?? []));
  if (!ids) return summaries;
  const rank = new Map(ids.map((id, i) => [id, i]));
  return summaries.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
}

export async function getArticle(db: Executor, staff: StaffPrincipal, id: number): Promise<Article> {
  const a = await selectArticles(db).where("a.id", "=", id).executeTakeFirst();
  if (!a) throw NotFoundError("Article");
  const versions = (await currentVersions(db, [id])).get(id) ?? [];
  const files = await db.selectFrom("kb_files").selectAll().where("article_id", "=", id).orderBy("id").execute();
  const ticket = a.source_ticket_id
    ? await db.selectFrom("tickets").select(["id", "number"]).where("id", "=", a.source_ticket_id).executeTakeFirst()
    : undefined;
  const locales = [...new Set(versions.map((v) => v.locale))].sort().reverse();
  return {
    ...summarize(a, versions),
    sourceTicket: ticket ? { id: ticket.id, number: Number(ticket.number) } : null,
    variants: locales.map((locale) => {
      const live = versions.find((v) => v.locale === locale && v.status === "published");
      const working = versions.find((v) => v.locale === locale && v.status !== "published");
      return { locale, live: live ? presentVersion(live) : null, working: working ? presentVersion(working) : null };
    }),
    files: files.map((f) => ({
      id: f.id,
      filename: f.filename,
      contentType: f.content_type,
      size: f.size,
      url: `/api/v1/kb/files/${f.id}`,
    })),
    permissions: { edit: true, publish: mayPublish(staff) },
  };
}

/** Every version of the article in one language, newest first. */
export async function listVersions(db: Executor, id: number, locale: ArticleLocale) {
  const rows = await selectVersions(db).where("v.article_id", "=", id).where("v.locale", "=", locale).orderBy("v.number", "desc").execute();
  if (rows.length === 0) throw NotFoundError("Article");
  return rows.map((r) => presentVersion(r as VersionRow));
}
