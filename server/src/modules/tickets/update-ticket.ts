import type { UpdateTicketBody } from "@loopdesk/contracts/tickets";
import type { DB } from "../../db/schema";
import type { Kysely } from "kysely";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { AppError, ForbiddenError, PreconditionFailedError, ValidationError } from "../../platform/errors";
import { getCategory } from "../directory/category-service";
import { departmentExists } from "../directory/department-service";
import { staffExists } from "../staff/staff-service";
import { type ChangeSource, changeTicket } from "./change-ticket";
import { loadVisibleTicket } from "./ticket-access";
import { actorOf } from "./ticket-events";
import { presentTicket } from "./ticket-presenter";

export const TicketClosedError = () => new AppError(409, "ticket_closed", "A closed ticket cannot be changed.");

/** Accepts `"3"`, `W/"3"` or `3` as the version the client last saw. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "*") return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw ValidationError([{ path: "If-Match", code: "invalid", message: 'If-Match must be an ETag such as "3".' }]);
  return Number(m[1]);
}

async function checkRefs(db: Kysely<DB>, input: UpdateTicketBody) {
  if (input.categoryId != null) {
    const c = await getCategory(db, input.categoryId);
    if (!c?.active) throw ValidationError([{ path: "categoryId", code: "unknown_reference", message: "Unknown category." }]);
  }
  if (input.departmentId != null && !(await departmentExists(db, input.departmentId)))
    throw ValidationError([{ path: "departmentId", code: "unknown_reference", message: "Unknown department." }]);
  if (input.assigneeId != null && !(await staffExists(db, input.assigneeId)))
    throw ValidationError([{ path: "assigneeId", code: "unknown_reference", message: "Unknown staff member." }]);
}

/**
 * Changes ticket fields under optimistic concurrency: the caller's If-Match version must be the
 * current one (else 412 with the current ticket), and every changed field becomes an event.
 */
export async function updateTicket(
  ctx: AppContext,
  principal: Principal,
  id: number,
  input: UpdateTicketBody,
  ifMatch: number | undefined,
  /** What made the change when it was not the person's own edit (an undo). */
  source?: ChangeSource,
) {
  if (principal.kind !== "staff") {
    await loadVisibleTicket(ctx.db, principal, id);
    throw ForbiddenError("Customers cannot edit tickets.");
  }
  await checkRefs(ctx.db, input);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await loadVisibleTicket(trx, principal, id, { forUpdate: true, need: "full" });
    if (ifMatch !== undefined && ifMatch !== current.version)
      throw PreconditionFailedError({ currentVersion: current.version, ticket: presentTicket(current) });
    if (current.status === "closed") throw TicketClosedError();
    return changeTicket(ctx, trx, current, input, actorOf(principal), source);
  });
}
