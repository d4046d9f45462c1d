import type { TicketStatus, UpdateTicketBody } from "@loopdesk/contracts/tickets";
import type { DB, TicketRow, TicketUpdate } from "../../db/schema";
import type { Kysely } from "kysely";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { AppError, ForbiddenError, PreconditionFailedError, ValidationError } from "../../platform/errors";
import { validateCustomFields } from "../custom-fields/custom-field-service";
import { getCategory } from "../directory/category-service";
import { departmentExists } from "../directory/department-service";
import { staffExists } from "../staff/staff-service";
import { emitTicketEvent } from "./emit-ticket-event";
import { loadVisibleTicket } from "./ticket-access";
import { type TicketEventInput, actorOf, recordTicketEvents } from "./ticket-events";
import { assertTransition, statusSideEffects } from "./ticket-lifecycle";
import { presentTicket } from "./ticket-presenter";

export const TicketClosedError = () => new AppError(409, "ticket_closed", "A closed ticket cannot be changed.");

/** Accepts `"3"`, `W/"3"` or `3` as the version the client last saw. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "*") return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw ValidationError([{ path: "If-Match", code: "invalid", message: 'If-Match must be an ETag such as "3".' }]);
  return Number(m[1]);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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
) {
  if (principal.kind !== "staff") {
    await loadVisibleTicket(ctx.db, principal, id);
    throw ForbiddenError("Customers cannot edit tickets.");
  }
  await checkRefs(ctx.db, input);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await loadVisibleTicket(trx, principal, id, { forUpdate: true });
    if (ifMatch !== undefined && ifMatch !== current.version)
      throw PreconditionFailedError({ currentVersion: current.version, ticket: presentTicket(current) });
    if (current.status === "closed") throw TicketClosedError();
    const now = new Date();
    const set: TicketUpdate = {};
    const events: TicketEventInput[] = [];
    const from = current.status as TicketStatus;
    let reopened = false;
    if (input.status !== undefined && input.status !== from) {
      assertTransition(from, input.status);
      const { reopened: r, ...effects } = statusSideEffects(from, input.status, now);
      reopened = !!r;
      Object.assign(set, effects, { status: input.status });
      events.push({ type: "status_changed", field: "status", before: from, after: input.status });
    }
    if (reopened) set.reopen_count = current.reopen_count + 1;
    const simple: [keyof UpdateTicketBody, keyof TicketRow, string][] = [
      ["subject", "subject", "subject"],
      ["priority", "priority", "priority"],
      ["categoryId", "category_id", "categoryId"],
      ["departmentId", "department_id", "departmentId"],
    ];
    for (const [inKey, column, field] of simple) {
      const value = input[inKey];
      if (value !== undefined && !same(value, current[column])) {
        (set as Record<string, unknown>)[column] = value;
        events.push({ type: "field_changed", field, before: current[column], after: value });
      }
    }
    if (input.assigneeId !== undefined && input.assigneeId !== current.assignee_id) {
      set.assignee_id = input.assigneeId;
      events.push({
        type: input.assigneeId === null ? "unassigned" : "assigned",
        field: "assigneeId",
        before: current.assignee_id,
        after: input.assigneeId,
      });
    }
    if (input.tags !== undefined) {
      const tags = [...new Set(input.tags)];
      if (!same([...tags].sort(), [...current.tags].sort())) {
        set.tags = tags;
        events.push({ type: "field_changed", field: "tags", before: current.tags, after: tags });
      }
    }
    if (input.customFields !== undefined) {
      const merged = await validateCustomFields(trx, "ticket", input.customFields, {
        existing: current.custom_fields,
        requireAll: false,
        categoryId: input.categoryId !== undefined ? input.categoryId : current.category_id,
      });
      for (const key of new Set([...Object.keys(current.custom_fields), ...Object.keys(merged)])) {
        if (!same(current.custom_fields[key], merged[key]))
          events.push({
            type: "field_changed",
            field: `customFields.${key}`,
            before: current.custom_fields[key] ?? null,
            after: merged[key] ?? null,
          });
      }
      if (!same(merged, current.custom_fields)) set.custom_fields = JSON.stringify(merged);
    }
    if (events.length === 0) return current;
    const updated = await trx
      .updateTable("tickets")
      .set({ ...set, version: current.version + 1, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordTicketEvents(trx, id, actorOf(principal), events, now);
    await emitTicketEvent(ctx, trx, "ticket.updated", updated, { fields: [...new Set(events.map((e) => e.field))] }, current);
    return updated;
  });
}
