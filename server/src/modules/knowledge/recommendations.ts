import type { Recommendations, recommendationUseBody } from "@loopdesk/contracts/knowledge";
import { type Kysely, sql } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { anyWordQuery, ticketText } from "../../platform/text/search-text";
import { featuresFromBytes, similarityTo } from "../../platform/text/text-similarity";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { searchArticles } from "./article-search";
import { expandQuery } from "./synonyms";

const ARTICLES = 3;
const TICKETS = 3;
/** Below this a solved ticket shares a few words, not the problem. */
export const SIMILAR_TICKET_THRESHOLD = 0.2;
const ANSWER_CHARS = 2_000;

/**
 * Solved tickets most like this text, across all customers: candidates from the search index
 * (any of the text's words, best covered first), then re-ranked by how alike the requests are;
 * each with its resolution (the last public staff reply).
 */
export async function similarSolvedTickets(db: Executor, text: string, excludeId: number | null, limit = TICKETS) {
  const tsquery = anyWordQuery(await expandQuery(db, text, 12));
  if (!tsquery) return [];
  const candidates = await db
    .selectFrom("ticket_search as s")
    .innerJoin("tickets as t", "t.id", "s.ticket_id")
    .select(["t.id", "t.number", "t.subject", "t.description", "t.solved_at", "s.features"])
    .where(sql<boolean>`s.document @@ to_tsquery('simple', ${tsquery})`)
    .where("t.status", "in", ["solved", "closed"])
    .where("t.duplicate_of_id", "is", null)
    .$if(excludeId !== null, (qb) => qb.where("t.id", "<>", excludeId as number))
    .orderBy(sql`ts_rank_cd(s.document, to_tsquery('simple', ${tsquery}), 1)`, "desc")
    .orderBy("t.id", "desc")
    .limit(40)
    .execute();
  const similarity = similarityTo(text);
  const ranked = candidates
    // Compared by the features kept with each ticket; a ticket written without them, by its text.
    .map((c) => ({ ...c, similarity: similarity(c.features ? featuresFromBytes(c.features) : ticketText(c.subject, c.description)) }))
    .filter((c) => c.similarity >= SIMILAR_TICKET_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit);
  if (ranked.length === 0) return [];
  const replies = await db
    .selectFrom("ticket_messages")
    .select(["ticket_id", "body_text"])
    .distinctOn("ticket_id")
    .where(
      "ticket_id",
      "in",
      ranked.map((r) => r.id),
    )
    .where("author_type", "=", "staff")
    .where("visibility", "=", "public")
    .orderBy("ticket_id")
    .orderBy("id", "desc")
    .execute();
  const resolution = new Map(replies.map((r) => [r.ticket_id, r.body_text]));
  return ranked.map((r) => ({
    id: r.id,
    number: Number(r.number),
    subject: r.subject,
    solvedAt: r.solved_at?.toISOString() ?? null,
    similarity: Math.round(r.similarity * 100) / 100,
    resolution: (resolution.get(r.id) ?? "").slice(0, ANSWER_CHARS),
  }));
}

/** For the ticket page: the articles and the similar solved tickets for the ticket's subject and description. */
export async function recommendationsFor(db: Kysely<DB>, staff: StaffPrincipal, ticketId: number): Promise<Recommendations> {
  const ticket = await loadVisibleTicket(db, staff, ticketId);
  const text = `${ticket.subject}\n${ticket.description}`;
  const [articles, tickets, marks] = await Promise.all([
    searchArticles(db, text, { audience: "staff", limit: ARTICLES, locale: staff.locale, maxWords: 12, suggest: true }),
    similarSolvedTickets(db, text, ticketId),
    db
      .selectFrom("kb_uses")
      .select(["article_id", "similar_ticket_id", "staff_id"])
      .where("ticket_id", "=", ticketId)
      .where("kind", "=", "helpful")
      .execute(),
  ]);
  const helpfulCounts = articles.length
    ? await db
        .selectFrom("kb_uses")
        .select(["article_id", sql<number>`count(*)::int`.as("n")])
        .where(
          "article_id",
          "in",
          articles.map((a) => a.id),
        )
        .where("kind", "=", "helpful")
        .groupBy("article_id")
        .execute()
    : [];
  const mine = (m: (typeof marks)[number]) => m.staff_id === staff.id;
  return {
    articles: articles.map(({ bodyText, ...a }) => ({
      ...a,
      answerText: bodyText.slice(0, ANSWER_CHARS),
      helpfulMarks: helpfulCounts.find((h) => h.article_id === a.id)?.n ?? 0,
      markedHelpful: marks.some((m) => mine(m) && m.article_id === a.id),
    })),
    tickets: tickets.map((t) => ({ ...t, markedHelpful: marks.some((m) => mine(m) && m.similar_ticket_id === t.id) })),
  };
}

/** An agent inserted a suggestion into a reply, or marked it helpful (or not): counted for the knowledge reports. */
export async function recordRecommendationUse(
  db: Kysely<DB>,
  staff: StaffPrincipal,
  ticketId: number,
  input: z.infer<typeof recommendationUseBody>,
) {
  await loadVisibleTicket(db, staff, ticketId);
  if (input.articleId !== undefined) {
    const a = await db.selectFrom("kb_articles").select("id").where("id", "=", input.articleId).executeTakeFirst();
    if (!a) throw NotFoundError("Article");
  } else {
    const t = await db
      .selectFrom("tickets")
      .select("id")
      .where("id", "=", input.ticketId as number)
      .executeTakeFirst();
    if (!t) throw NotFoundError("Ticket");
  }
  const target = { article_id: input.articleId ?? null, similar_ticket_id: input.ticketId ?? null };
  await db.transaction().execute(async (trx) => {
    // A mark replaces the agent's earlier mark on the same suggestion; insertions all count.
    if (input.kind !== "inserted")
      await trx
        .deleteFrom("kb_uses")
        .where("ticket_id", "=", ticketId)
        .where("staff_id", "=", staff.id)
        .where("kind", "in", ["helpful", "not_helpful"])
        .where(input.articleId !== undefined ? "article_id" : "similar_ticket_id", "=", (input.articleId ?? input.ticketId) as number)
        .execute();
    await trx
      .insertInto("kb_uses")
      .values({ ticket_id: ticketId, staff_id: staff.id, kind: input.kind, ...target })
      .execute();
  });
}
