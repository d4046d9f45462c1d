import type { CallBody, CallResult } from "@loopdesk/contracts/intake";
import type { StaffPrincipal } from "../../../platform/auth/principal";
import type { AppContext } from "../../../platform/context";
import { ValidationError } from "../../../platform/errors";
import type { Executor } from "../../../platform/jobs/job-queue";
import { resolveCustomer } from "../../customers/customer-service";
import { findStaffByEmail, staffExists } from "../../staff/staff-service";
import { appendMessage } from "../../tickets/add-message";
import { createTicket, prepareTicket } from "../../tickets/create-ticket";
import { openTicketOf } from "../../tickets/ticket-lookup";
import { recordTicketEvents } from "../../tickets/ticket-events";

/** A call joins the customer's unsolved phone ticket if it was active this recently. */
const JOIN_WITHIN_DAYS = 7;

async function agentOf(db: Executor, body: CallBody) {
  if (body.agentId !== undefined) {
    if (!(await staffExists(db, body.agentId)))
      throw ValidationError([{ path: "agentId", code: "unknown_reference", message: "Unknown staff member." }]);
    return body.agentId;
  }
  if (body.agentEmail !== undefined) {
    const staff = await findStaffByEmail(db, body.agentEmail);
    if (!staff) throw ValidationError([{ path: "agentEmail", code: "unknown_reference", message: "Unknown staff member." }]);
    return staff.id;
  }
  return null;
}

const existing = (db: Executor, callId: string) =>
  db
    .selectFrom("calls")
    .innerJoin("tickets", "tickets.id", "calls.ticket_id")
    .select(["calls.ticket_id", "calls.customer_id", "tickets.number"])
    .where("calls.external_id", "=", callId)
    .executeTakeFirst();

/**
 * A call record from a call-center system: it joins the customer's open phone ticket (same
 * category when one is given) or opens one, assigned to the agent who took the call. The call
 * shows on the ticket's timeline with its recording; the agent's notes become an internal note.
 * The same call id posted again (a retry) changes nothing.
 */
export async function logCall(ctx: AppContext, principal: StaffPrincipal, body: CallBody): Promise<CallResult> {
  const agentId = await agentOf(ctx.db, body);
  const input = {
    subject: body.subject ?? `来电 ${body.customerNumber}`,
    description: body.notes ?? "",
    priority: "normal" as const,
    categoryId: body.categoryId,
    channel: "phone" as const,
    assigneeId: agentId ?? undefined,
    customer: { phone: body.customerNumber, name: body.customerName },
    tags: [],
    customFields: {},
    attachmentIds: [],
  };
  const prepared = await prepareTicket(ctx, principal, input, { requireAllFields: false });
  return ctx.db.transaction().execute(async (trx) => {
    const seen = await existing(trx, body.callId);
    if (seen)
      return {
        callId: body.callId,
        ticketId: seen.ticket_id,
        ticketNumber: Number(seen.number),
        customerId: seen.customer_id,
        outcome: "duplicate",
      };
    const customer = await resolveCustomer(trx, input.customer);
    const since = new Date(Date.now() - JOIN_WITHIN_DAYS * 86_400_000);
    const open = await openTicketOf(trx, { customerId: customer.id, channel: "phone", since, categoryId: body.categoryId });
    let ticket: { id: number; number: string | number };
    if (open) {
      ticket = open;
      if (body.notes?.trim())
        await appendMessage(
          ctx,
          trx,
          principal,
          open.id,
          { body: body.notes, visibility: "internal", attachmentIds: [] },
          { channel: "phone" },
        );
    } else {
      ticket = await createTicket(ctx, trx, principal, input, prepared);
    }
    const inserted = await trx
      .insertInto("calls")
      .values({
        external_id: body.callId,
        ticket_id: ticket.id,
        customer_id: customer.id,
        direction: body.direction,
        caller_number: body.customerNumber,
        called_number: body.lineNumber ?? null,
        agent_id: agentId,
        started_at: body.startedAt,
        answered_at: body.answeredAt ?? null,
        ended_at: body.endedAt ?? null,
        recording_url: body.recordingUrl ?? null,
      })
      .onConflict((oc) => oc.column("external_id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) throw new Error("call recorded concurrently"); // rolled back; the retry finds it as a duplicate
    const seconds = body.endedAt && body.answeredAt ? Math.round((Date.parse(body.endedAt) - Date.parse(body.answeredAt)) / 1000) : null;
    await recordTicketEvents(trx, ticket.id, agentId ? { type: "staff", id: agentId } : { type: "system", id: null }, [
      {
        type: "call_logged",
        data: {
          direction: body.direction,
          number: body.customerNumber,
          answered: body.answeredAt !== undefined,
          seconds,
          recordingUrl: body.recordingUrl ?? null,
        },
      },
    ]);
    return {
      callId: body.callId,
      ticketId: ticket.id,
      ticketNumber: Number(ticket.number),
      customerId: customer.id,
      outcome: open ? "appended" : "created",
    };
  });
}

/** Calls follow their customer when two customers are merged. */
export async function reassignCustomerCalls(db: Executor, fromId: number, toId: number) {
  await db.updateTable("calls").set({ customer_id: toId }).where("customer_id", "=", fromId).execute();
}
