import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";
import { DEFLECTION_AFTER_MINUTES } from "./help-center";

/**
 * What the knowledge base did in a period: help-center visits from the new-ticket form and the
 * widget and how many ended without a request (自助解决); the articles that helped resolve most
 * tickets; what each agent contributed (articles written, published, suggestions used).
 */
export async function knowledgeReport(db: Executor, from: Date, to: Date) {
  const settledBefore = new Date(Math.min(to.getTime(), Date.now() - DEFLECTION_AFTER_MINUTES * 60_000));
  const [visits, topArticles, contributors, feedback] = await Promise.all([
    db
      .selectFrom("kb_help_visits")
      .select([
        "source",
        sql<number>`count(*)::int`.as("visits"),
        sql<number>`count(*) filter (where submitted_at is null and opened_at < ${settledBefore})::int`.as("deflected"),
        sql<number>`count(*) filter (where submitted_at is not null)::int`.as("submitted"),
      ])
      .where("opened_at", ">=", from)
      .where("opened_at", "<", to)
      .groupBy("source")
      .execute(),
    db
      .selectFrom("kb_uses as u")
      .innerJoin("tickets as t", "t.id", "u.ticket_id")
      .innerJoin("kb_articles as a", "a.id", "u.article_id")
      .select([
        "u.article_id as id",
        sql<string>`coalesce((select v.title from kb_article_versions v where v.article_id = a.id and v.status = 'published' order by v.locale desc limit 1), (select v.title from kb_article_versions v where v.article_id = a.id order by v.id desc limit 1))`.as(
          "title",
        ),
        sql<number>`count(distinct u.ticket_id) filter (where t.status in ('solved', 'closed'))::int`.as("resolved"),
        sql<number>`count(*) filter (where u.kind = 'inserted')::int`.as("inserted"),
        sql<number>`count(*) filter (where u.kind = 'helpful')::int`.as("helpful"),
      ])
      .where("u.created_at", ">=", from)
      .where("u.created_at", "<", to)
      .where("u.kind", "<>", "not_helpful")
      .groupBy(["u.article_id", "a.id"])
      .orderBy("resolved", "desc")
      .orderBy("inserted", "desc")
      .limit(10)
      .execute(),
    db
      .selectFrom("staff as s")
      .select([
        "s.id",
        "s.name",
        sql<number>`(select count(*) from kb_articles a where a.created_by = s.id and a.created_at >= ${from} and a.created_at < ${to})::int`.as(
          "written",
        ),
        sql<number>`(select count(*) from kb_article_versions v where v.author_id = s.id and v.status in ('published', 'superseded') and v.published_at >= ${from} and v.published_at < ${to})::int`.as(
          "published",
        ),
        sql<number>`(select count(*) from kb_uses u where u.staff_id = s.id and u.kind = 'inserted' and u.created_at >= ${from} and u.created_at < ${to})::int`.as(
          "used",
        ),
      ])
      .where("s.active", "=", true)
      .execute(),
    db
      .selectFrom("kb_feedback")
      .select([sql<number>`count(*) filter (where helpful)::int`.as("yes"), sql<number>`count(*) filter (where not helpful)::int`.as("no")])
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .executeTakeFirstOrThrow(),
  ]);
  const total = (k: "visits" | "deflected" | "submitted") => visits.reduce((n, v) => n + v[k], 0);
  const settled = total("deflected") + total("submitted");
  return {
    deflection: {
      visits: total("visits"),
      deflected: total("deflected"),
      submitted: total("submitted"),
      rate: settled ? Math.round((total("deflected") / settled) * 1000) / 1000 : null,
      bySource: visits.map((v) => ({ source: v.source, visits: v.visits, deflected: v.deflected, submitted: v.submitted })),
    },
    feedback: { helpful: feedback.yes, notHelpful: feedback.no },
    topArticles: topArticles.map((a) => ({
      id: a.id as number,
      title: a.title,
      resolved: a.resolved,
      inserted: a.inserted,
      helpful: a.helpful,
    })),
    contributors: contributors
      .filter((c) => c.written + c.published + c.used > 0)
      .sort((a, b) => b.written + b.published + b.used - (a.written + a.published + a.used))
      .map((c) => ({ staffId: c.id, name: c.name, written: c.written, published: c.published, used: c.used })),
  };
}
