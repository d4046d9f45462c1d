import type { CreateTicketBody } from "@loopdesk/contracts/tickets";
import type { Transaction } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ForbiddenError, ValidationError } from "../../platform/errors";
import { validateCustomFields } from "../custom-fields/custom-field-service";
import { type ResolvedCustomer, customerTiers } from "../customers/customer-service";
import { resolveCustomers } from "../customers/resolve-customers";
import { scoreOf, scoreParts } from "../routing/priority-score";
import { scoringConfig } from "../routing/routing-settings";
import { searchDocument, ticketText } from "../../platform/text/search-text";
import { getCategory } from "../directory/category-service";
import { departmentExists } from "../directory/department-service";
import { htmlToText, sanitizeUserHtml } from "../../platform/text/sanitize-html";
import { staffExists } from "../staff/staff-service";
import { type PlannedTicket, insertTickets } from "./insert-tickets";
import { extractFieldValues, missingTemplateFields } from "../custom-fields/ticket-template";
import { suggestCategory } from "../classification/category-suggester";
import { findDuplicatesOf } from "./duplicate-detection";
import { textFeatures } from "../../platform/text/text-similarity";
import { type Actor, type TicketEventInput, actorOf } from "./ticket-events";

const invalid = (path: string, code: string, message: string) => ValidationError([{ path, code, message }]);

/** Checks everything that does not need the transaction, so the transaction stays short. */
export async function prepareTicket(
  ctx: AppContext,
  principal: Principal,
  input: CreateTicketBody,
  opts: { requireAllFields?: boolean } = {},
) {
  if (principal.kind === "customer") {
    if (input.customer) throw ForbiddenError("Customers create tickets for themselves.");
    if (input.assigneeId != null || input.departmentId != null || input.tags.length)
      throw ForbiddenError("Customers cannot set assignee, department or tags.");
  } else if (!input.customer) {
    throw invalid("customer", "required", "A customer (id, email or phone) is required.");
  }
  let departmentId = input.departmentId ?? null;
  if (input.categoryId != null) {
    const category = await getCategory(ctx.db, input.categoryId);
    if (!category?.active) throw invalid("categoryId", "unknown_reference", "Unknown category.");
    departmentId ??= category.departmentId;
  }
  if (input.departmentId != null && !(await departmentExists(ctx.db, input.departmentId)))
    throw invalid("departmentId", "unknown_reference", "Unknown department.");
  if (input.assigneeId != null && !(await staffExists(ctx.db, input.assigneeId)))
    throw invalid("assigneeId", "unknown_reference", "Unknown staff member.");
  // HTML is kept sanitized; the plain text (search, previews, notifications) is derived from it when not given.
  const descriptionHtml = input.descriptionHtml?.trim() ? sanitizeUserHtml(input.descriptionHtml) : null;
  const description =
    input.description.trim() !== "" ? input.description : descriptionHtml ? htmlToText(descriptionHtml).slice(0, 100_000) : "";
  // 智能分类: without a category from the customer or agent, the workspace's classifier suggests
  // one; a confident suggestion is applied, and its department follows (routing then does too).
  const suggestion = input.categoryId == null ? await suggestCategory(ctx.db, input.subject, description) : null;
  let categoryId = input.categoryId ?? null;
  if (suggestion?.apply) {
    const category = await getCategory(ctx.db, suggestion.categoryId);
    if (category?.active) {
      categoryId = category.id;
      departmentId ??= category.departmentId;
    } else suggestion.apply = false;
  }
  // Values the request already states in its text (an order number, a "型号：X200" line) fill empty
  // fields — those of the category it ends up in, suggested or chosen. Only the chosen category's
  // required fields are demanded here; a suggested one's missing fields are asked for (信息不全).
  const extracted = await extractFieldValues(ctx.db, categoryId, `${input.subject}\n${description}`, input.customFields);
  const customFields = await validateCustomFields(
    ctx.db,
    "ticket",
    { ...extracted, ...input.customFields },
    {
      requireAll: opts.requireAllFields ?? true,
      categoryId: input.categoryId,
    },
  );
  const channel = input.channel ?? (principal.kind === "customer" ? "portal" : "api");
  // The text's features (jieba's words and character pairs, for the duplicate check, kept with the
  // ticket) are taken here, before the ticket waits for a shared transaction: segmenting a text is
  // the largest part of a creation's own work, and done here it overlaps the transaction under way
  // instead of lengthening the next one (which every ticket of its batch waits for).
  const features = textFeatures(ticketText(input.subject, description));
  return { departmentId, customFields, channel, description, descriptionHtml, categoryId, suggestion, features };
}

type Prepared = Awaited<ReturnType<typeof prepareTicket>>;
export type PreparedTicket = Omit<Prepared, "categoryId" | "suggestion" | "features"> &
  Partial<Pick<Prepared, "categoryId" | "suggestion" | "features">>;

/** A ticket to create: who asks, what they sent, what prepareTicket made of it. */
export type NewTicket = {
  principal: Principal;
  input: CreateTicketBody;
  prepared: PreparedTicket;
  extra?: { followUpOfId?: number; actor?: Actor };
};

export async function createTicket(
  ctx: AppContext,
  trx: Transaction<DB>,
  principal: Principal,
  input: CreateTicketBody,
  prepared: PreparedTicket,
  extra: NewTicket["extra"] = {},
): Promise<TicketRow> {
  return (await createTickets(ctx, trx, [{ principal, input, prepared, extra }]))[0] as TicketRow;
}

/**
 * Creates the tickets in the caller's transaction, in this order, with as few statements as it
 * takes: their customers found together, then, in rounds of different customers, their duplicate
 * checks together and the round written together. A customer's second request is compared with
 * their first (a repeat?), so it starts a new round after the first is written.
 */
export async function createTickets(ctx: AppContext, trx: Transaction<DB>, tickets: NewTicket[]): Promise<TicketRow[]> {
  const customers = await customersOf(trx, tickets);
  const created: TicketRow[] = [];
  let round: { ticket: NewTicket; customer: ResolvedCustomer }[] = [];
  const write = async () => {
    const now = new Date();
    // Each text's features are kept with the ticket (taken by prepareTicket where it ran); a follow-up
    // is no repeat of its customer's open tickets.
    const features = round.map(({ ticket }) => ticket.prepared.features ?? textFeatures(textOf(ticket)));
    // A repeat of one of the customer's open tickets is linked to it (and not routed on its own).
    const duplicates = await findDuplicatesOf(
      trx,
      round.map(({ ticket, customer }, i) => ({
        customerId: customer.id,
        features: ticket.extra?.followUpOfId ? new Uint32Array() : (features[i] as Uint32Array),
      })),
      now,
    );
    const planned: PlannedTicket[] = [];
    for (const [i, { ticket, customer }] of round.entries())
      planned.push(await planTicket(trx, ticket, customer, duplicates[i] ?? null, features[i] as Uint32Array, now));
    created.push(...(await insertTickets(ctx, trx, planned)));
    round = [];
  };
  for (const [i, ticket] of tickets.entries()) {
    const customer = customers[i] as ResolvedCustomer;
    if (round.some((r) => r.customer.id === customer.id)) await write();
    round.push({ ticket, customer });
  }
  await write();
  return created;
}

const textOf = (t: NewTicket) => ticketText(t.input.subject, t.prepared.description);

/** Each ticket's customer: the signed-in customer, or the one the request names (found or created). */
async function customersOf(trx: Transaction<DB>, tickets: NewTicket[]): Promise<ResolvedCustomer[]> {
  const own = tickets.flatMap((t) => (t.principal.kind === "customer" ? [t.principal.id] : []));
  const tiers = await customerTiers(trx, own);
  const named = await resolveCustomers(
    trx,
    tickets.flatMap((t) => (t.principal.kind === "customer" ? [] : [t.input.customer as NonNullable<CreateTicketBody["customer"]>])),
  );
  let next = 0;
  return tickets.map(({ principal }) =>
    principal.kind === "customer"
      ? { id: principal.id, organizationId: principal.organizationId, tier: tiers.get(principal.id) ?? "normal" }
      : (named[next++] as ResolvedCustomer),
  );
}

/** Everything about a new ticket decided before it is written: its row, first history events and search document. */
async function planTicket(
  trx: Transaction<DB>,
  ticket: NewTicket,
  customer: ResolvedCustomer,
  duplicate: Awaited<ReturnType<typeof findDuplicatesOf>>[number],
  features: Uint32Array,
  now: Date,
): Promise<PlannedTicket> {
  const { principal, input, prepared, extra = {} } = ticket;
  const actor = extra.actor ?? actorOf(principal);
  const assigneeId = input.assigneeId ?? null;
  // 信息不全: intake channels (mail, calls) accept a request without every required field; the customer is asked once.
  const categoryId = prepared.categoryId !== undefined ? prepared.categoryId : (input.categoryId ?? null);
  const suggestion = prepared.suggestion ?? null;
  const missing = await missingTemplateFields(trx, categoryId, prepared.customFields);
  const text = textOf(ticket);
  const events: TicketEventInput[] = [
    {
      type: "created",
      after: {
        status: "new",
        priority: input.priority,
        channel: prepared.channel,
        categoryId,
        departmentId: prepared.departmentId,
      },
      // Whether every required template field was there: the analytics' completeness at creation, per channel.
      data: { complete: missing.length === 0, ...(extra.followUpOfId ? { followUpOfId: extra.followUpOfId } : {}) },
    },
    ...(suggestion
      ? [
          {
            type: "category_classified" as const,
            data: {
              categoryId: suggestion.categoryId,
              confidence: Math.round(suggestion.confidence * 100) / 100,
              applied: suggestion.apply,
            },
          },
        ]
      : []),
    ...(assigneeId ? [{ type: "assigned" as const, field: "assigneeId", before: null, after: assigneeId }] : []),
    ...(missing.length ? [{ type: "info_missing" as const, data: { fields: missing } }] : []),
    ...(duplicate
      ? [{ type: "duplicate_detected" as const, data: { ticketId: duplicate.id, number: duplicate.number, score: duplicate.score } }]
      : []),
  ];
  // Written once, complete: the priority score (without SLA points: the clocks start after the
  // insert, and the periodic pass adds them as deadlines come close) and the search document, so
  // the ticket is found by a search the moment its creation commits.
  const scoring = await scoringConfig(trx);
  const parts = scoreParts(scoring, { tier: customer.tier, priority: input.priority, categoryId, slaNextDueAt: null, text }, now);
  return {
    principal,
    actor,
    at: now,
    row: {
      subject: input.subject,
      description: prepared.description,
      description_html: prepared.descriptionHtml,
      priority: input.priority,
      channel: prepared.channel,
      category_id: categoryId,
      customer_id: customer.id,
      organization_id: customer.organizationId,
      department_id: prepared.departmentId,
      assignee_id: assigneeId,
      tags: [...new Set(input.tags)],
      custom_fields: prepared.customFields,
      follow_up_of_id: extra.followUpOfId ?? null,
      duplicate_of_id: duplicate?.id ?? null,
      missing_fields: missing,
      complete_at_creation: missing.length === 0,
      // Whoever logs a ticket keeps it in view wherever routing sends it.
      participant_ids: actor.type === "staff" && actor.id !== null ? [actor.id] : [],
      last_customer_message_at: principal.kind === "customer" ? now.toISOString() : null,
      priority_score: scoreOf(parts),
      priority_parts: parts,
    },
    document: searchDocument(text),
    features,
    events,
    suggestion,
    duplicate,
    attachmentIds: input.attachmentIds,
    missing,
  };
}
