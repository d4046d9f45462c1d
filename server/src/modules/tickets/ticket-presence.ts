import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { publishEphemeral } from "../../platform/realtime/realtime-hub";
import { staffNames } from "../staff/staff-service";
import { scopeOf } from "./emit-ticket-event";
import { loadVisibleTicket } from "./ticket-access";

/** A heartbeat older than this no longer counts: the agent closed the tab or went away. */
export const PRESENCE_TTL_MS = 30_000;

export type PresenceState = "viewing" | "typing" | "left";

/**
 * Records that a staff member is viewing or typing on a ticket (or left it), tells the other
 * processes' live streams when that changes, and answers who else is there.
 */
export async function touchPresence(ctx: AppContext, principal: StaffPrincipal, ticketId: number, state: PresenceState) {
  const ticket = await loadVisibleTicket(ctx.db, principal, ticketId);
  const previous = await ctx.db
    .selectFrom("ticket_presence")
    .select(["state", "updated_at"])
    .where("ticket_id", "=", ticketId)
    .where("staff_id", "=", principal.id)
    .executeTakeFirst();
  const wasHere = previous && Date.now() - previous.updated_at.getTime() < PRESENCE_TTL_MS ? previous.state : "left";
  if (state === "left") {
    await ctx.db.deleteFrom("ticket_presence").where("ticket_id", "=", ticketId).where("staff_id", "=", principal.id).execute();
  } else {
    await ctx.db
      .insertInto("ticket_presence")
      .values({ ticket_id: ticketId, staff_id: principal.id, state, updated_at: new Date() })
      .onConflict((oc) => oc.columns(["ticket_id", "staff_id"]).doUpdateSet({ state, updated_at: new Date() }))
      .execute();
  }
  if (wasHere !== state)
    await publishEphemeral(ctx.db, {
      type: "ticket.presence",
      aggregateType: "ticket",
      aggregateId: ticketId,
      payload: { number: ticket.number, scope: scopeOf(ticket), staffOnly: true, staffId: principal.id, name: principal.name, state },
    });
  return { items: await othersOn(ctx, ticketId, principal.id) };
}

/** Staff currently on the ticket, except the caller. */
export async function othersOn(ctx: AppContext, ticketId: number, exceptStaffId: number) {
  const rows = await ctx.db
    .selectFrom("ticket_presence")
    .select(["staff_id", "state"])
    .where("ticket_id", "=", ticketId)
    .where("staff_id", "!=", exceptStaffId)
    .where("updated_at", ">", new Date(Date.now() - PRESENCE_TTL_MS))
    .orderBy("updated_at")
    .execute();
  const names = await staffNames(
    ctx.db,
    rows.map((r) => r.staff_id),
  );
  return rows.map((r) => ({ staffId: r.staff_id, name: names.get(r.staff_id) ?? "", state: r.state }));
}
