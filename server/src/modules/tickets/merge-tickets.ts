import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ConflictError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { emitTicketEvent } from "./emit-ticket-event";
import { reindexTickets } from "./ticket-search-index";
import { loadVisibleTicket } from "./ticket-access";
import { actorOf, recordTicketEvents } from "./ticket-events";
import { TicketClosedError } from "./update-ticket";

/**
 * Merges a ticket into another of the same customer (or organization) — typically a repeat
 * request into the ticket already being worked on. The request arrives on the kept ticket as the
 * customer's message, with the merged ticket's conversation and files; the merged ticket closes
 * and points at the kept one. A kept ticket waiting on the customer or solved is open again: the
 * customer has just asked (again).
 */
export async function mergeTickets(ctx: AppContext, principal: StaffPrincipal, mergedId: number, keptId: number) {
  if (mergedId === keptId)
    throw ValidationError([{ path: "ticketId", code: "same_ticket", message: "A ticket cannot be merged into itself." }]);
  return ctx.db.transaction().execute(async (trx) => {
    // Locked in id order, so two opposite merges cannot deadlock.
    const [first, second] = mergedId < keptId ? [mergedId, keptId] : [keptId, mergedId];
    const a = await loadVisibleTicket(trx, principal, first, { forUpdate: true, need: "full" });
    const b = await loadVisibleTicket(trx, principal, second, { forUpdate: true, need: "full" });
    const [merged, kept] = a.id === mergedId ? [a, b] : [b, a];
    if (merged.merged_into_id !== null || kept.merged_into_id !== null) throw ConflictError("This ticket was merged already.");
    if (merged.status === "closed" || kept.status === "closed") throw TicketClosedError();
    const related =
      merged.customer_id === kept.customer_id || (merged.organization_id !== null && merged.organization_id === kept.organization_id);
    if (!related)
      throw ValidationError([
        { path: "ticketId", code: "different_customer", message: "Only tickets of the same customer or organization can be merged." },
      ]);

    const now = new Date();
    const actor = actorOf(principal);
    const request = `${merged.subject}\n\n${merged.description}`.trim();
    await trx
      .insertInto("ticket_messages")
      .values({
        ticket_id: kept.id,
        visibility: "public",
        author_type: "customer",
        author_customer_id: merged.customer_id,
        body_text: request,
        channel: merged.channel,
        created_at: merged.created_at,
      })
      .execute();
    await trx.updateTable("ticket_messages").set({ ticket_id: kept.id }).where("ticket_id", "=", merged.id).execute();
    await trx.updateTable("attachments").set({ ticket_id: kept.id }).where("ticket_id", "=", merged.id).execute();

    const closedMerged = await trx
      .updateTable("tickets")
      .set({ status: "closed", closed_at: now, merged_into_id: kept.id, version: merged.version + 1, updated_at: now })
      .where("id", "=", merged.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const reopen = kept.status === "pending" || kept.status === "solved";
    const updatedKept = await trx
      .updateTable("tickets")
      .set({
        ...(reopen ? { status: "open", solved_at: null } : {}),
        ...(kept.status === "solved" ? { reopen_count: kept.reopen_count + 1 } : {}),
        last_customer_message_at: now,
        version: kept.version + 1,
        updated_at: now,
      })
      .where("id", "=", kept.id)
      .returningAll()
      .executeTakeFirstOrThrow();

    await recordTicketEvents(
      trx,
      merged.id,
      actor,
      [
        { type: "merged_into", data: { ticketId: kept.id, number: Number(kept.number) } },
        { type: "status_changed", field: "status", before: merged.status, after: "closed" },
      ],
      now,
    );
    await recordTicketEvents(
      trx,
      kept.id,
      actor,
      [
        { type: "merged_from", data: { ticketId: merged.id, number: Number(merged.number) } },
        ...(reopen
          ? [
              {
                type: "status_changed" as const,
                field: "status",
                before: kept.status,
                after: "open",
                data: kept.status === "solved" ? { reopened: true } : undefined,
              },
            ]
          : []),
      ],
      now,
    );
    // The kept ticket's document now holds the merged conversation.
    await reindexTickets(trx, [kept.id, merged.id]);
    const by = { byKind: "staff", byId: principal.id };
    await emitTicketEvent(ctx, trx, "ticket.updated", closedMerged, {
      ...by,
      fields: ["status"],
      changes: { status: { before: merged.status, after: "closed" } },
    });
    await emitTicketEvent(ctx, trx, "ticket.updated", updatedKept, {
      ...by,
      fields: reopen ? ["status"] : [],
      ...(reopen ? { changes: { status: { before: kept.status, after: "open" } } } : {}),
    });
    return updatedKept;
  });
}

/** "不是重复": clears the duplicate flag; the caller then routes the ticket like any new one. */
export async function clearDuplicate(ctx: AppContext, db: Executor, principal: StaffPrincipal, ticketId: number) {
  const ticket = await loadVisibleTicket(db, principal, ticketId, { forUpdate: true, need: "full" });
  if (ticket.duplicate_of_id === null) return ticket;
  const updated = await db
    .updateTable("tickets")
    .set({ duplicate_of_id: null, version: ticket.version + 1, updated_at: new Date() })
    .where("id", "=", ticket.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordTicketEvents(db, ticket.id, actorOf(principal), [{ type: "duplicate_cleared", data: { ticketId: ticket.duplicate_of_id } }]);
  await emitTicketEvent(ctx, db, "ticket.updated", updated, { byKind: "staff", byId: principal.id, fields: ["duplicateOfId"] });
  return updated;
}
