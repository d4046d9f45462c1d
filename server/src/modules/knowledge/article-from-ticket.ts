import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { ConflictError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { createArticle } from "./article-write";
import { escapeHtml } from "../../platform/text/sanitize-html";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Personal data that can appear in any request, whoever wrote it. */
const PATTERNS: [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, "[邮箱]"],
  [/\b\d{17}[\dXx]\b/g, "[身份证号]"],
  [/(\+?86[\s-]?)?\b1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}\b/g, "[手机号]"],
  [/\b0\d{2,3}-?\d{7,8}\b/g, "[电话]"],
  [/\b\d{12,19}\b/g, "[编号]"],
];

/**
 * The text with the customer's data taken out: their name, organization and every identity they
 * have (email, phone, IM ids), and anything shaped like an email, phone, ID-card or card number.
 */
export function redact(text: string, known: { value: string; placeholder: string }[]) {
  let out = text;
  for (const k of known.filter((k) => k.value.trim().length >= 2).sort((a, b) => b.value.length - a.value.length))
    out = out.replace(new RegExp(escapeRegExp(k.value.trim()), "gi"), k.placeholder);
  for (const [pattern, placeholder] of PATTERNS) out = out.replace(pattern, placeholder);
  return out;
}

async function customerData(db: Executor, customerId: number) {
  const c = await db
    .selectFrom("customers as c")
    .leftJoin("organizations as o", "o.id", "c.organization_id")
    .select(["c.name", "o.name as org"])
    .where("c.id", "=", customerId)
    .executeTakeFirst();
  const identities = await db.selectFrom("customer_identities").select("value").where("customer_id", "=", customerId).execute();
  return [
    ...(c ? [{ value: c.name, placeholder: "客户" }] : []),
    // A Chinese name is often written as its surname plus 先生/女士 in replies.
    ...(c && /^\p{Script=Han}{2,4}$/u.test(c.name)
      ? [
          { value: `${c.name[0]}先生`, placeholder: "客户" },
          { value: `${c.name[0]}女士`, placeholder: "客户" },
        ]
      : []),
    ...(c?.org ? [{ value: c.org, placeholder: "[单位]" }] : []),
    ...identities.map((i) => ({ value: i.value, placeholder: "[联系方式]" })),
  ];
}

/**
 * A solved ticket's story without the customer's data: its question (the description, else the
 * subject) and how it was resolved (the staff's last public replies); the knowledge category named
 * like the ticket's category, and its tags.
 */
export async function solvedTicketStory(db: Kysely<DB>, staff: StaffPrincipal, ticketId: number) {
  const ticket = await loadVisibleTicket(db, staff, ticketId);
  if (ticket.status !== "solved" && ticket.status !== "closed")
    throw ConflictError("An article is written from a solved ticket: solve it first.");
  const known = await customerData(db, ticket.customer_id);
  const replies = await db
    .selectFrom("ticket_messages")
    .select("body_text")
    .where("ticket_id", "=", ticketId)
    .where("author_type", "=", "staff")
    .where("visibility", "=", "public")
    .orderBy("id", "desc")
    .limit(3)
    .execute();
  const category = ticket.category_id
    ? await db
        .selectFrom("kb_categories as k")
        .innerJoin("categories as c", "c.name", "k.name")
        .select("k.id")
        .where("c.id", "=", ticket.category_id)
        .executeTakeFirst()
    : undefined;
  return {
    ticketId,
    subject: redact(ticket.subject, known).slice(0, 200),
    question: redact(ticket.description || ticket.subject, known),
    answer: redact(
      replies
        .reverse()
        .map((r) => r.body_text)
        .join("\n\n"),
      known,
    ),
    categoryId: category?.id ?? null,
    tags: (ticket.tags ?? []).slice(0, 20),
  };
}

/** Paragraphs of plain text as HTML. */
export const paragraphs = (text: string) =>
  text
    .split(/\n{2,}|\r\n\r\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");

/** A draft article from a solved ticket in one step: its question and resolution with the customer's data removed, linked back to it. */
export async function articleFromTicket(db: Kysely<DB>, staff: StaffPrincipal, ticketId: number) {
  const story = await solvedTicketStory(db, staff, ticketId);
  const en = staff.locale === "en";
  const bodyHtml = `<h2>${en ? "Question" : "问题"}</h2>${paragraphs(story.question)}<h2>${en ? "Resolution" : "解决方法"}</h2>${
    paragraphs(story.answer) || `<p>${en ? "(Write how it was resolved.)" : "（请补充解决方法。）"}</p>`
  }`;
  return draftFromStory(db, staff, story, story.subject, bodyHtml);
}

/** The draft (internal, in the writer's language) of a story, filed and tagged like its ticket. */
export function draftFromStory(
  db: Kysely<DB>,
  staff: StaffPrincipal,
  story: Awaited<ReturnType<typeof solvedTicketStory>>,
  title: string,
  bodyHtml: string,
) {
  return createArticle(
    db,
    staff,
    {
      locale: staff.locale === "en" ? "en" : "zh-CN",
      title: title.slice(0, 200),
      bodyHtml,
      categoryId: story.categoryId,
      visibility: "internal",
      tags: story.tags,
      fileIds: [],
    },
    story.ticketId,
  );
}
