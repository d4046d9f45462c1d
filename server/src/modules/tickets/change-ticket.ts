import type { TicketStatus, UpdateTicketBody } from "@loopdesk/contracts/tickets";
import { sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { TicketRow, TicketUpdate } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { ReplyRequiredError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { solveRequiresReply } from "../directory/department-service";
import { validateCustomFields } from "../custom-fields/custom-field-service";
import { missingTemplateFields } from "../custom-fields/ticket-template";
import { ticketDomainEvent } from "./emit-ticket-event";
import { TICKET_COLUMNS } from "./ticket-columns";
import { reindexTickets } from "./ticket-search-index";
import { withParticipant } from "./ticket-access";
import { type RoutingStatePatch, routingColumns } from "./ticket-routing-state";
import { type Actor, type TicketEventInput, ticketEventRowsFor } from "./ticket-events";
import { answeredSinceCustomer, assertTransition, statusSideEffects } from "./ticket-lifecycle";

/** What made a change when it was not a person: shown in the history, and lets triggers skip their own changes. */
export type ChangeSource = {
  kind: "trigger" | "automation" | "escalation" | "routing" | "undo" | "process" | "macro";
  id: number;
  name: string;
};
export type TicketChanges = Partial<
  Pick<UpdateTicketBody, "subject" | "status" | "priority" | "categoryId" | "departmentId" | "assigneeId" | "tags" | "customFields">
> & {
  teamId?: number | null;
  /** 转派: the department, team and assignee changes are one `transferred` history event with the reason. */
  transfer?: { reason: string };
};

const TRANSFER_FIELDS = new Set(["departmentId", "teamId", "assigneeId"]);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The plain fields and the assignee: what to set and the history events, with no queries (routing
 * plans many assignments at once with it). Events come in the order the history shows them.
 */
export function diffTicketFields(current: TicketRow, input: TicketChanges) {
  const set: TicketUpdate = {};
  const events: TicketEventInput[] = [];
  const simple: [keyof TicketChanges, keyof TicketRow, string][] = [
    ["subject", "subject", "subject"],
    ["priority", "priority", "priority"],
    ["categoryId", "category_id", "categoryId"],
    ["departmentId", "department_id", "departmentId"],
    ["teamId", "team_id", "teamId"],
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
    // A person's assignment takes the ticket out of routing (routing marks its own as "assigned"); agent to agent is a transfer.
    set.routing_status = null;
    set.offered_until = null;
    if (current.assignee_id !== null && input.assigneeId !== null) set.transfer_count = current.transfer_count + 1;
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
  return { set, events };
}

/**
 * Applies field changes to a ticket the caller has locked (FOR UPDATE) in its transaction: every
 * changed field becomes a history event, and one `ticket.updated` domain event carries what changed
 * (before → after). References must already be checked; status transitions and custom fields are
 * checked here. Returns the ticket unchanged when nothing differs.
 */
export async function changeTicket(
  ctx: AppContext,
  trx: Executor,
  current: TicketRow,
  input: TicketChanges,
  actor: Actor,
  source?: ChangeSource,
  /** Routing's own columns, written in the same statement when the ticket changes. */
  routing?: RoutingStatePatch,
): Promise<TicketRow> {
  const now = new Date();
  const set: TicketUpdate = {};
  const events: TicketEventInput[] = [];
  const from = current.status as TicketStatus;
  if (input.status !== undefined && input.status !== from) {
    assertTransition(from, input.status);
    if (input.status === "solved") await assertAnswered(trx, current);
    const { reopened, ...effects } = statusSideEffects(from, input.status, now);
    Object.assign(set, effects, { status: input.status });
    // Undoing a mistaken solve puts the ticket back: that is not the customer reopening it.
    if (reopened && source?.kind !== "undo") set.reopen_count = current.reopen_count + 1;
    events.push({ type: "status_changed", field: "status", before: from, after: input.status });
  }
  const fields = diffTicketFields(current, input);
  Object.assign(set, fields.set);
  events.push(...fields.events);
  // A transfer counts once, whatever moved (and an agent-to-agent move is not counted twice).
  if (input.transfer) set.transfer_count = current.transfer_count + 1;
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
  if (input.customFields !== undefined || set.category_id !== undefined) {
    // Filling the fields (or a category that asks for others) decides whether the ticket is still 信息不全.
    const values =
      typeof set.custom_fields === "string" ? (JSON.parse(set.custom_fields) as Record<string, unknown>) : current.custom_fields;
    const category = set.category_id !== undefined ? set.category_id : current.category_id;
    const missing = await missingTemplateFields(trx, category, values);
    if (!same([...missing].sort(), [...current.missing_fields].sort())) {
      set.missing_fields = missing;
      if (missing.length === 0 && current.missing_fields.length > 0)
        events.push({ type: "info_completed", data: { fields: current.missing_fields } });
    }
  }
  const history = input.transfer ? transferHistory(current, set, events, input.transfer.reason) : undefined;
  const [updated] = await writeTicketChanges(ctx, trx, [{ current, set, events, routing, history }], actor, source, now);
  // A new subject is searchable at once.
  if (set.subject !== undefined) await reindexTickets(trx, [current.id]);
  return updated as TicketRow;
}

/** The history of a transfer: one `transferred` event (from → to, and why) instead of a row per field. */
function transferHistory(current: TicketRow, set: TicketUpdate, events: TicketEventInput[], reason: string): TicketEventInput[] {
  const placement = (t: { department_id?: number | null; team_id?: number | null; assignee_id?: number | null }) => ({
    departmentId: t.department_id ?? null,
    teamId: t.team_id ?? null,
    assigneeId: t.assignee_id ?? null,
  });
  const after = placement({ ...current, ...set } as TicketRow);
  return [
    { type: "transferred", before: placement(current), after, data: reason ? { reason } : undefined },
    ...events.filter((e) => !TRANSFER_FIELDS.has(e.field ?? "")),
  ];
}

/** history: the rows written to the ticket's history when they differ from `events` (which the domain event reports field by field). */
export type PlannedChange = {
  current: TicketRow;
  set: TicketUpdate;
  events: TicketEventInput[];
  routing?: RoutingStatePatch;
  history?: TicketEventInput[];
};

/** jsonb columns whose new value is given as JSON text (as Kysely writes them). */
const JSON_TEXT_COLUMNS = new Set(["custom_fields", "priority_parts"]);

/**
 * Writes the planned changes of tickets the caller has locked, whatever their number, in two
 * statements: the rows with their history events, then one `ticket.updated` domain event each.
 */
export async function writeTicketChanges(
  ctx: AppContext,
  trx: Executor,
  changes: PlannedChange[],
  actor: Actor,
  source?: ChangeSource,
  now = new Date(),
): Promise<TicketRow[]> {
  if (changes.length === 0) return [];
  const withVia = (events: TicketEventInput[]) =>
    source ? events.map((e) => ({ ...e, data: { ...(e.data as object | undefined), via: source } })) : events;
  const full = changes.map((c) => ({
    ...c,
    set: {
      ...c.set,
      ...(c.routing ? routingColumns(c.routing) : {}),
      ...participantsAfter(c.current, actor),
      version: c.current.version + 1,
      updated_at: now,
    } as TicketUpdate,
    events: withVia(c.events),
    history: c.history && withVia(c.history),
  }));
  const updated =
    full.length === 1 ? [await updateOne(trx, full[0] as PlannedChange, actor, now)] : await updateMany(trx, full, actor, now);
  const byId = new Map(updated.map((r) => [r.id, r]));
  const result = full.map((c) => byId.get(c.current.id) as TicketRow);
  await ctx.events.emitMany(
    trx,
    full.map((c, i) =>
      ticketDomainEvent(
        "ticket.updated",
        result[i] as TicketRow,
        {
          fields: [...new Set(c.events.map((e) => e.field))],
          byKind: actor.type,
          byId: actor.id,
          changes: Object.fromEntries(c.events.map((e) => [e.field, { before: e.before ?? null, after: e.after ?? null }])),
          ...(source ? { via: source } : {}),
        },
        c.current,
      ),
    ),
  );
  return result;
}

/** A staff member who changes a ticket becomes one of its participants (they keep it in view). */
function participantsAfter(current: TicketRow, actor: Actor): TicketUpdate {
  const ids = withParticipant(current.participant_ids, actor);
  return ids ? { participant_ids: ids } : {};
}

/** Closing the loop: unless its department allows otherwise, a ticket is solved only once the customer has an answer. */
export async function assertAnswered(db: Executor, t: TicketRow) {
  if (!answeredSinceCustomer(t) && (await solveRequiresReply(db, t.department_id))) throw ReplyRequiredError();
}

/** One ticket: the change and its history events in one statement. */
async function updateOne(trx: Executor, c: PlannedChange, actor: Actor, now: Date) {
  return trx
    .with("changed", (db) => db.updateTable("tickets").set(c.set).where("id", "=", c.current.id).returning(TICKET_COLUMNS))
    .with("new_events", (db) =>
      db
        .insertInto("ticket_events")
        .columns(["ticket_id", "type", "actor_type", "actor_id", "field", "before", "after", "data", "created_at"])
        .expression(ticketEventRowsFor([{ ticketId: c.current.id, events: c.history ?? c.events }], actor, now)),
    )
    .selectFrom("changed")
    .selectAll()
    .modifyEnd(prepared)
    .executeTakeFirstOrThrow();
}

/**
 * Several tickets: one UPDATE from a recordset and their history events, in one statement. A
 * column one ticket changes and another does not is written with the other's current value.
 */
async function updateMany(trx: Executor, changes: PlannedChange[], actor: Actor, now: Date) {
  const columns = [...new Set(changes.flatMap((c) => Object.keys(c.set)))];
  const rows = changes.map((c) => {
    const row: Record<string, unknown> = { id: c.current.id };
    for (const k of columns) {
      const value = k in c.set ? (c.set as Record<string, unknown>)[k] : c.current[k as keyof TicketRow];
      row[k] = JSON_TEXT_COLUMNS.has(k) && typeof value === "string" ? JSON.parse(value) : value;
    }
    return row;
  });
  const { rows: updated } = await sql<TicketRow>`${prepared}
    with v as (select * from jsonb_populate_recordset(null::tickets, ${JSON.stringify(rows)}::jsonb)),
    changed as (
      update tickets t set ${sql.join(columns.map((k) => sql`${sql.ref(k)} = ${sql.ref(`v.${k}`)}`))}
      from v where t.id = v.id
      returning ${sql.join(TICKET_COLUMNS.map((k) => sql.ref(`t.${k}`)))}
    ),
    new_events as (
      insert into ticket_events (ticket_id, type, actor_type, actor_id, field, before, after, data, created_at)
      ${ticketEventRowsFor(
        changes.map((c) => ({ ticketId: c.current.id, events: c.history ?? c.events })),
        actor,
        now,
      )}
    )
    select * from changed`.execute(trx);
  return updated;
}
