import type { AppContext } from "../../platform/context";
import type { Executor } from "../../platform/jobs/job-queue";
import { emitTicketEvent } from "./emit-ticket-event";
import { type Actor, recordTicketEvents } from "./ticket-events";

/**
 * Moves every ticket (and every message the customer wrote) from one customer to another, as
 * part of merging two customers: each ticket's history records the change, and a ticket.updated
 * event tells rules, webhooks and reports (repeat tickets are counted per customer).
 */
export async function reassignCustomerTickets(ctx: AppContext, trx: Executor, fromId: number, toId: number, actor: Actor) {
  const now = new Date();
  const before = await trx
    .selectFrom("tickets")
    .select(["id", "organization_id", "department_id", "assignee_id", "participant_ids"])
    .where("customer_id", "=", fromId)
    .execute();
  if (before.length === 0) return 0;
  const moved = await trx
    .updateTable("tickets")
    .set((eb) => ({ customer_id: toId, version: eb("version", "+", 1), updated_at: now }))
    .where("customer_id", "=", fromId)
    .returningAll()
    .execute();
  await trx.updateTable("ticket_messages").set({ author_customer_id: toId }).where("author_customer_id", "=", fromId).execute();
  for (const ticket of moved) {
    await recordTicketEvents(trx, ticket.id, actor, [{ type: "customer_merged", field: "customerId", before: fromId, after: toId }], now);
    const prior = before.find((b) => b.id === ticket.id);
    await emitTicketEvent(
      ctx,
      trx,
      "ticket.updated",
      ticket,
      { fields: ["customerId"], changes: { customerId: { before: fromId, after: toId } }, byKind: actor.type, byId: actor.id },
      prior
        ? {
            customer_id: fromId,
            organization_id: prior.organization_id,
            department_id: prior.department_id,
            assignee_id: prior.assignee_id,
            participant_ids: prior.participant_ids,
          }
        : undefined,
    );
  }
  return moved.length;
}
