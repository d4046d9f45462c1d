import type { CsatAnswer, TicketCsat } from "@loopdesk/contracts/feedback";
import type { AppContext } from "../../platform/context";
import { randomToken, sha256Hex } from "../../platform/auth/secrets";
import { AppError, NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { emitTicketEvent } from "../tickets/emit-ticket-event";
import { recordTicketEvents } from "../tickets/ticket-events";
import { lockTicket } from "../tickets/ticket-lookup";

export const AlreadyRatedError = () => new AppError(409, "already_rated", "This ticket has been rated already.");
type Row = { rating: number | null; comment: string | null; answered_at: Date | null; answered_via: "link" | "portal" | "widget" | null };
const answerOf = (r: Row | undefined): CsatAnswer | null =>
  r?.answered_at && r.rating !== null && r.answered_via
    ? { rating: r.rating, comment: r.comment, answeredAt: r.answered_at.toISOString(), answeredVia: r.answered_via }
    : null;

/**
 * A survey for a solved ticket: a new secret link each time it is solved until the customer has
 * answered (one answer per ticket). Only the token's hash is stored; null when already answered.
 */
export async function openSurvey(db: Executor, ticketId: number) {
  const token = randomToken(24);
  const row = await db
    .insertInto("csat_surveys")
    .values({ ticket_id: ticketId, token_hash: sha256Hex(token) })
    .onConflict((oc) =>
      oc
        .column("ticket_id")
        .doUpdateSet({ token_hash: sha256Hex(token), sent_at: new Date() })
        .where("csat_surveys.answered_at", "is", null),
    )
    .returning("ticket_id")
    .executeTakeFirst();
  return row ? token : null;
}

export async function surveyByToken(db: Executor, token: string) {
  const row = await db.selectFrom("csat_surveys").selectAll().where("token_hash", "=", sha256Hex(token)).executeTakeFirst();
  if (!row) throw NotFoundError("Survey");
  return { ticketId: row.ticket_id, answer: answerOf(row) };
}

export async function ticketCsat(db: Executor, ticketId: number): Promise<TicketCsat> {
  const row = await db.selectFrom("csat_surveys").selectAll().where("ticket_id", "=", ticketId).executeTakeFirst();
  return { surveyed: !!row, answer: answerOf(row) };
}

/**
 * Records the customer's one answer: on the ticket's history, and as `ticket.csat_received` (for
 * triggers, e.g. a follow-up on a bad rating, and for webhooks).
 */
export async function rateTicket(
  ctx: AppContext,
  ticketId: number,
  customerId: number,
  input: { rating: number; comment?: string },
  via: CsatAnswer["answeredVia"],
) {
  return ctx.db.transaction().execute(async (trx) => {
    const ticket = await lockTicket(trx, ticketId);
    if (!ticket) throw NotFoundError("Ticket");
    if (ticket.status !== "solved" && ticket.status !== "closed")
      throw new AppError(409, "invalid_transition", "Only a solved ticket can be rated.", { status: ticket.status });
    const existing = await trx.selectFrom("csat_surveys").selectAll().where("ticket_id", "=", ticketId).executeTakeFirst();
    if (existing?.answered_at) throw AlreadyRatedError();
    const now = new Date();
    const values = { rating: input.rating, comment: input.comment || null, answered_at: now, answered_via: via };
    if (existing) await trx.updateTable("csat_surveys").set(values).where("ticket_id", "=", ticketId).execute();
    else
      await trx
        .insertInto("csat_surveys")
        .values({ ticket_id: ticketId, token_hash: sha256Hex(randomToken(24)), ...values })
        .execute();
    await recordTicketEvents(trx, ticketId, { type: "customer", id: customerId }, [
      { type: "csat_received", data: { rating: input.rating, comment: input.comment || null, via } },
    ]);
    await emitTicketEvent(ctx, trx, "ticket.csat_received", ticket, {
      rating: input.rating,
      comment: input.comment || null,
      byKind: "customer",
      byId: customerId,
    });
    return answerOf({ ...values }) as CsatAnswer;
  });
}
