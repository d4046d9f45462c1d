import { sql } from "kysely";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { AppError, ConflictError } from "../../platform/errors";
import { emitTicketEvent } from "./emit-ticket-event";
import { loadVisibleTicket } from "./ticket-access";
import { actorOf, recordTicketEvents } from "./ticket-events";

/** One urge per person per ticket in this window; more would only be noise for the handler. */
const URGE_INTERVAL_MS = 30 * 60_000;

const AlreadyUrgedError = (retryAfterSeconds: number) =>
  new AppError(
    429,
    "already_urged",
    `You urged this ticket a moment ago; you can urge it again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    { retryAfterSeconds },
    { "retry-after": String(retryAfterSeconds) },
  );

/**
 * One-click urge (一键催办) by the customer or a colleague: counted on the ticket, recorded in its
 * history, and announced as `ticket.urged` (the assignee and their supervisors are notified).
 */
export async function urgeTicket(ctx: AppContext, principal: Principal, ticketId: number, note?: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const ticket = await loadVisibleTicket(trx, principal, ticketId, { forUpdate: true });
    if (ticket.status === "solved" || ticket.status === "closed") throw ConflictError("A solved or closed ticket cannot be urged.");
    if (principal.kind === "staff" && ticket.assignee_id === principal.id)
      throw new AppError(409, "own_ticket", "You hold this ticket: an urge would only notify yourself.");
    const actor = actorOf(principal);
    const now = new Date();
    const last = await trx
      .selectFrom("ticket_events")
      .select("created_at")
      .where("ticket_id", "=", ticket.id)
      .where("type", "=", "urged")
      .where("actor_type", "=", actor.type)
      .where("actor_id", "=", actor.id)
      .orderBy("id", "desc")
      .executeTakeFirst();
    if (last && now.getTime() - last.created_at.getTime() < URGE_INTERVAL_MS)
      throw AlreadyUrgedError(Math.ceil((last.created_at.getTime() + URGE_INTERVAL_MS - now.getTime()) / 1000));
    const { urge_count } = await trx
      .updateTable("tickets")
      .set({ urge_count: sql`urge_count + 1` })
      .where("id", "=", ticket.id)
      .returning("urge_count")
      .executeTakeFirstOrThrow();
    await recordTicketEvents(trx, ticket.id, actor, [{ type: "urged", after: urge_count, data: note ? { note } : undefined }], now);
    await emitTicketEvent(ctx, trx, "ticket.urged", ticket, {
      urgeCount: urge_count,
      byName: principal.name,
      byKind: principal.kind,
      byId: principal.id,
      note: note ?? null,
    });
    return { urgeCount: urge_count };
  });
}
