import type { UpdateTicketBody } from "@loopdesk/contracts/tickets";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import { updateTicket } from "./update-ticket";

/**
 * Applies the same changes to many tickets, each in its own transaction with the same rules as a
 * single update (scope, lifecycle, history). One ticket failing does not undo the others; the
 * answer says, per ticket, whether it changed and why not.
 */
export async function bulkUpdateTickets(ctx: AppContext, principal: StaffPrincipal, ids: number[], changes: UpdateTicketBody) {
  const items: { id: number; ok: boolean; error?: { code: string; message: string } }[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      await updateTicket(ctx, principal, id, changes, undefined);
      items.push({ id, ok: true });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      items.push({ id, ok: false, error: { code: err.code, message: err.message } });
    }
  }
  return { items };
}
