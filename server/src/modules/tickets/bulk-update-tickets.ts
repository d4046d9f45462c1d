import { randomUUID } from "node:crypto";
import type { UpdateTicketBody } from "@loopdesk/contracts/tickets";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { AppError, ConflictError, NotFoundError } from "../../platform/errors";
import { loadVisibleTicket } from "./ticket-access";
import { updateTicket } from "./update-ticket";

/** How long a bulk change can be undone. */
export const UNDO_MS = 60_000;

type Item = { id: number; ok: boolean; error?: { code: string; message: string } };

/** The fields a change touches, as they were on the ticket (what an undo puts back). */
function previous(t: { status: string; priority: string; assignee_id: number | null; tags: string[] }, changes: UpdateTicketBody) {
  const before: Record<string, unknown> = {};
  if (changes.status !== undefined) before.status = t.status;
  if (changes.priority !== undefined) before.priority = t.priority;
  if (changes.assigneeId !== undefined) before.assigneeId = t.assignee_id;
  if (changes.tags !== undefined) before.tags = t.tags;
  return before;
}

/**
 * Applies the same changes to many tickets, each in its own transaction with the same rules as a
 * single update (scope, lifecycle, history). One ticket failing does not undo the others; the
 * answer says, per ticket, whether it changed and why not, and how to undo it for a minute.
 */
export async function bulkUpdateTickets(ctx: AppContext, principal: StaffPrincipal, ids: number[], changes: UpdateTicketBody) {
  const items: Item[] = [];
  const undo: { ticketId: number; before: Record<string, unknown>; version: number }[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const current = await loadVisibleTicket(ctx.db, principal, id);
      const updated = await updateTicket(ctx, principal, id, changes, current.version);
      items.push({ id, ok: true });
      if (updated.version !== current.version) undo.push({ ticketId: id, before: previous(current, changes), version: updated.version });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      items.push({ id, ok: false, error: { code: err.code, message: err.message } });
    }
  }
  if (undo.length === 0) return { items, undoId: null, undoUntil: null };
  const undoId = randomUUID();
  const at = new Date();
  await ctx.db
    .insertInto("bulk_changes")
    .values({ id: undoId, staff_id: principal.id, items: JSON.stringify(undo), created_at: at })
    .execute();
  return { items, undoId, undoUntil: new Date(at.getTime() + UNDO_MS).toISOString() };
}

/**
 * Undoes a bulk change within the minute, by whoever made it: each ticket gets back what it held,
 * unless someone changed it since (then it is left as it is, and the answer says so). The history
 * records the undo as such (a status put back is not a reopening).
 */
export async function undoBulkUpdate(ctx: AppContext, principal: StaffPrincipal, undoId: string) {
  const row = await ctx.db
    .deleteFrom("bulk_changes")
    .where("id", "=", undoId)
    .where("staff_id", "=", principal.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw NotFoundError("Bulk change");
  if (Date.now() - row.created_at.getTime() > UNDO_MS) throw ConflictError("A bulk change can be undone only within a minute.");
  const items: Item[] = [];
  for (const it of row.items) {
    try {
      await updateTicket(ctx, principal, it.ticketId, it.before as UpdateTicketBody, it.version, { kind: "undo", id: 0, name: "bulk" });
      items.push({ id: it.ticketId, ok: true });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      items.push({ id: it.ticketId, ok: false, error: { code: err.code, message: err.message } });
    }
  }
  return { items, undoId: null, undoUntil: null };
}
