import type { CreateTicketBody } from "@loopdesk/contracts/tickets";
import { type Transaction, sql } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ForbiddenError, ValidationError } from "../../platform/errors";
import { validateCustomFields } from "../custom-fields/custom-field-service";
import { customerTiers, resolveCustomer } from "../customers/customer-service";
import { scoreOf, scoreParts } from "../routing/priority-score";
import { scoringConfig } from "../routing/routing-settings";
import { searchDocument } from "../../platform/text/search-text";
import { getCategory } from "../directory/category-service";
import { departmentExists } from "../directory/department-service";
import { htmlToText, sanitizeUserHtml } from "../../platform/text/sanitize-html";
import { staffExists } from "../staff/staff-service";
import { linkAttachments } from "./attachment-service";
import { TICKET_COLUMNS } from "./ticket-columns";
import { prepared as keptPrepared } from "../../db/prepared-statements";
import { emitTicketEvent } from "./emit-ticket-event";
import { extractFieldValues, missingTemplateFields } from "../custom-fields/ticket-template";
import { suggestCategory } from "../classification/category-suggester";
import { findDuplicateOf } from "./duplicate-detection";
import { type Actor, type TicketEventInput, actorOf, recordTicketEvents, systemActor, ticketEventRows } from "./ticket-events";

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
  // Values the request already states in its text (an order number, a "型号：X200" line) fill empty fields.
  const extracted = await extractFieldValues(ctx.db, input.categoryId, `${input.subject}\n${description}`, input.customFields);
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
  return { departmentId, customFields, channel, description, descriptionHtml, categoryId, suggestion };
}

export async function createTicket(
  ctx: AppContext,
  trx: Transaction<DB>,
  principal: Principal,
  input: CreateTicketBody,
  prepared: Omit<Awaited<ReturnType<typeof prepareTicket>>, "categoryId" | "suggestion"> &
    Partial<Pick<Awaited<ReturnType<typeof prepareTicket>>, "categoryId" | "suggestion">>,
  extra: { followUpOfId?: number; actor?: Actor } = {},
): Promise<TicketRow> {
  const customer =
    principal.kind === "customer"
      ? {
          id: principal.id,
          organizationId: principal.organizationId,
          tier: (await customerTiers(trx, [principal.id])).get(principal.id) ?? "normal",
        }
      : await resolveCustomer(trx, input.customer as NonNullable<CreateTicketBody["customer"]>);
  const now = new Date();
  const actor = extra.actor ?? actorOf(principal);
  const assigneeId = input.assigneeId ?? null;
  // A repeat of one of the customer's open tickets is linked to it (and not routed on its own).
  // 信息不全: intake channels (mail, calls) accept a request without every required field; the customer is asked once.
  const categoryId = prepared.categoryId !== undefined ? prepared.categoryId : (input.categoryId ?? null);
  const suggestion = prepared.suggestion ?? null;
  const missing = await missingTemplateFields(trx, categoryId, prepared.customFields);
  const duplicate = extra.followUpOfId ? null : await findDuplicateOf(trx, customer.id, `${input.subject}\n${prepared.description}`, now);
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
  const scoreInput = { tier: customer.tier, priority: input.priority, categoryId, slaNextDueAt: null };
  const parts = scoreParts(scoring, { ...scoreInput, text: `${input.subject}\n${prepared.description}` }, now);
  const document = searchDocument(input.subject, prepared.description);
  // The ticket, its first history events and its search document in one statement (one round trip).
  const ticket = await trx
    .with("new_ticket", (db) =>
      db
        .insertInto("tickets")
        .values({
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
          custom_fields: JSON.stringify(prepared.customFields),
          follow_up_of_id: extra.followUpOfId ?? null,
          duplicate_of_id: duplicate?.id ?? null,
          missing_fields: missing,
          complete_at_creation: missing.length === 0,
          // Whoever logs a ticket keeps it in view wherever routing sends it.
          participant_ids: actor.type === "staff" && actor.id !== null ? [actor.id] : [],
          last_customer_message_at: principal.kind === "customer" ? now : null,
          priority_score: scoreOf(parts),
          priority_parts: JSON.stringify(parts),
          created_at: now,
          updated_at: now,
        })
        .returning(TICKET_COLUMNS),
    )
    .with("new_events", (db) =>
      db
        .insertInto("ticket_events")
        .columns(["ticket_id", "type", "actor_type", "actor_id", "field", "before", "after", "data", "created_at"])
        .expression(ticketEventRows(actor, events, now)),
    )
    .with("new_search", (db) =>
      db
        .insertInto("ticket_search")
        .columns(["ticket_id", "document"])
        .expression((eb) => eb.selectFrom("new_ticket").select(["id", sql<string>`to_tsvector('simple', ${document})`.as("document")])),
    )
    .selectFrom("new_ticket")
    .select(TICKET_COLUMNS)
    // Kept prepared: its text takes a few forms only (one to four history events).
    .modifyEnd(keptPrepared)
    .executeTakeFirstOrThrow();
  if (suggestion)
    await trx
      .insertInto("ticket_category_suggestions")
      .values({
        ticket_id: ticket.id,
        category_id: suggestion.categoryId,
        confidence: suggestion.confidence,
        applied: suggestion.apply,
        model_id: suggestion.modelId,
        created_at: now,
      })
      .execute();
  if (duplicate)
    await recordTicketEvents(trx, duplicate.id, systemActor, [
      { type: "duplicate_linked", data: { ticketId: ticket.id, number: Number(ticket.number), score: duplicate.score } },
    ]);
  if (input.attachmentIds.length) await linkAttachments(trx, principal, input.attachmentIds, { ticketId: ticket.id, messageId: null });
  await emitTicketEvent(ctx, trx, "ticket.created", ticket, {
    byKind: actor.type,
    byId: actor.id,
    ...(missing.length ? { missingFields: missing } : {}),
  });
  return ticket;
}
