import type { AiReplyDraft } from "@loopdesk/contracts/knowledge";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { draftFromStory, paragraphs, solvedTicketStory } from "../knowledge/article-from-ticket";
import { searchArticles } from "../knowledge/article-search";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { aiTexts } from "./ai-prompts";
import { chat } from "./chat-client";

const ARTICLE_CHARS = 1_500;
const MESSAGE_CHARS = 1_000;

/** The ticket as the model reads it: subject, status, description and the last messages, who wrote each. */
async function ticketText(db: Kysely<DB>, staff: StaffPrincipal, ticketId: number) {
  const t = aiTexts(staff.locale);
  const ticket = await loadVisibleTicket(db, staff, ticketId);
  const messages = await db
    .selectFrom("ticket_messages")
    .select(["author_type", "visibility", "body_text"])
    .where("ticket_id", "=", ticketId)
    .where("author_type", "<>", "system")
    .orderBy("id", "desc")
    .limit(20)
    .execute();
  const lines = messages.reverse().map((m) => {
    const who = m.visibility === "internal" ? t.note : m.author_type === "customer" ? t.customer : t.agent;
    return `${who}: ${m.body_text.slice(0, MESSAGE_CHARS)}`;
  });
  return {
    ticket,
    text: [
      `${t.ticket} #${ticket.number}`,
      `${t.subject}: ${ticket.subject}`,
      `${t.status}: ${ticket.status}`,
      ticket.description.slice(0, MESSAGE_CHARS * 2),
      ...lines,
    ].join("\n"),
  };
}

/** A few lines an agent taking the ticket over reads first. */
export async function summarizeTicket(ctx: AppContext, staff: StaffPrincipal, ticketId: number) {
  const { text } = await ticketText(ctx.db, staff, ticketId);
  const answer = await chat(ctx, { staffId: staff.id, ticketId, kind: "summary" }, [
    { role: "system", content: aiTexts(staff.locale).summary },
    { role: "user", content: text },
  ]);
  return { text: answer };
}

/**
 * A reply grounded on the articles recommended for the ticket: the model sees them numbered and
 * cites them as [n]; the draft comes back with the articles it cited.
 */
export async function draftReply(ctx: AppContext, staff: StaffPrincipal, ticketId: number): Promise<AiReplyDraft> {
  const { ticket, text } = await ticketText(ctx.db, staff, ticketId);
  const articles = await searchArticles(ctx.db, `${ticket.subject}\n${ticket.description}`, {
    audience: "staff",
    locale: staff.locale,
    limit: 3,
    maxWords: 12,
    suggest: true,
  });
  const t = aiTexts(staff.locale);
  const sources = articles.map((a, i) => `[${i + 1}] ${a.title}\n${a.bodyText.slice(0, ARTICLE_CHARS)}`).join("\n\n");
  const answer = await chat(ctx, { staffId: staff.id, ticketId, kind: "reply" }, [
    { role: "system", content: t.reply },
    { role: "user", content: `${t.articles}:\n${sources || "—"}\n\n${text}` },
  ]);
  const citations = articles
    .map((a, i) => ({ n: i + 1, a }))
    .filter(({ n }) => answer.includes(`[${n}]`))
    .map(({ a }) => ({ id: a.id, title: a.title, url: a.url }));
  return { text: answer, citations };
}

/** A draft article written by the model from a solved ticket (the customer's data removed before it is sent). */
export async function draftArticle(ctx: AppContext, staff: StaffPrincipal, ticketId: number) {
  const story = await solvedTicketStory(ctx.db, staff, ticketId);
  const answer = await chat(ctx, { staffId: staff.id, ticketId, kind: "article" }, [
    { role: "system", content: aiTexts(staff.locale).article },
    { role: "user", content: `${story.subject}\n\n${story.question}\n\n${story.answer}` },
  ]);
  const [first, ...rest] = answer.split("\n");
  const title = (first ?? "").replace(/^#+\s*|^标题[:：]\s*|^title:\s*/i, "").trim() || story.subject;
  return draftFromStory(ctx.db, staff, story, title, paragraphs(rest.join("\n").trim() || answer));
}
