import type { EventNames, TicketEvent } from "@loopdesk/contracts/tickets";
import type { TFunction } from "i18next";

type Placement = { departmentId?: number | null; teamId?: number | null; assigneeId?: number | null };
type EventData = {
  name?: string;
  step?: number;
  action?: string;
  subject?: string;
  rating?: number;
  reason?: string;
  note?: string;
  /** The rule that made a change — or, on a rating, where the customer answered (link, portal, widget). */
  via?: { kind: string; name: string } | string;
  /** A rating's comment. */
  comment?: string | null;
  direction?: string;
  number?: string | number;
  seconds?: number | null;
  answered?: boolean;
  fields?: string[];
  assigneeId?: number | null;
  departmentId?: number | null;
  /** A step for a department's supervisors or admins. */
  role?: string | null;
  /** An approval's level (1 first): its step waits for a signature. */
  level?: number;
  /** A step the customer does (a sign-off, an answer): it waits for them. */
  customer?: boolean;
  categoryId?: number;
  confidence?: number;
  applied?: boolean;
  /** Brought in by an import (from a spreadsheet or another helpdesk, with their ticket number). */
  imported?: { source: string; number?: string };
};

/** Which names list an id field draws from. */
const REFERENCE_FIELDS: Record<string, keyof EventNames> = {
  assigneeId: "staff",
  departmentId: "departments",
  teamId: "teams",
  categoryId: "categories",
  customerId: "customers",
};

/**
 * One history entry as a sentence in the reader's language. Every id it refers to reads as a
 * name (from the names the history came with; something deleted since reads as such), every
 * status, priority and channel in words — never a raw id or key.
 */
export function eventText(t: TFunction, e: TicketEvent, names: EventNames, fieldLabel: (key: string) => string): string {
  const data = (e.data ?? {}) as EventData;
  const named = (kind: keyof EventNames, id: unknown) =>
    typeof id === "number" ? (names[kind][String(id)] ?? t(`event.deleted.${kind}`)) : t("ticket.none");
  const value = (field: string | null, v: unknown): string => {
    if (v === null || v === undefined || v === "") return t("ticket.none");
    if (field === "status") return t(`status.${v}`);
    if (field === "priority") return t(`priority.${v}`);
    if (field === "channel") return t(`channel.${v}`);
    const kind = field ? REFERENCE_FIELDS[field] : undefined;
    if (kind) return named(kind, v);
    if (typeof v === "boolean") return v ? t("common.yes") : t("common.no");
    return Array.isArray(v) ? v.join(t("common.listSep")) : String(v);
  };
  const placement = (p: unknown) => {
    const { departmentId, teamId, assigneeId } = (p ?? {}) as Placement;
    const parts = [
      departmentId != null ? named("departments", departmentId) : t("ticket.sharedInbox"),
      ...(teamId != null ? [named("teams", teamId)] : []),
      ...(assigneeId != null ? [named("staff", assigneeId)] : []),
    ];
    return parts.join(" · ");
  };
  const field = e.field?.startsWith("customFields.")
    ? fieldLabel(e.field.slice("customFields.".length))
    : e.field
      ? t(`field.${e.field}`)
      : "";
  // Taking a step from the pool is recorded as handing it to oneself: it reads as taking it.
  const claimed =
    e.type === "process_step_reassigned" && e.actorType === "staff" && data.assigneeId != null && data.assigneeId === e.actorId;
  // So does a ticket claimed from the offers (抢单): the agent's own act, not routing's.
  const claimedOffer = e.type === "assigned" && typeof data.via === "object" && data.via.kind === "routing" && data.via.name === "claimed";
  // An approval's step waits for a signature, at its level when there are several.
  const approval = e.type === "process_step_started" && typeof data.level === "number";
  const customerStep = e.type === "process_step_started" && data.customer === true;
  const key = claimed
    ? "event.process_step_claimed"
    : claimedOffer
      ? "event.ticket_claimed"
      : customerStep
        ? "event.process_customer_step_started"
        : approval
          ? (data.level ?? 1) > 1
            ? "event.process_approval_level_started"
            : "event.process_approval_started"
          : `event.${e.type}`;
  const text = t(key, {
    actor: e.actorName ?? (e.actorType === "system" ? t("author.system") : t(`author.${e.actorType}`)),
    field,
    before: e.type === "transferred" ? placement(e.before) : value(e.field, e.before),
    after: e.type === "transferred" ? placement(e.after) : value(e.field, e.after),
    name: data.name ?? "",
    step: data.step,
    level: data.level,
    action: data.action ? t(`admin.escalation.actions.${data.action}`) : "",
    subject: data.subject ?? "",
    rating: data.rating,
    reason: data.reason ?? "",
    count: typeof e.after === "number" ? e.after : 1,
    direction: data.direction ? t(`call.${data.direction}`) : "",
    number: data.number ?? "",
    fields: (data.fields ?? []).map(fieldLabel).join(t("common.listSep")),
    category: data.categoryId != null ? named("categories", data.categoryId) : "",
    confidence: typeof data.confidence === "number" ? Math.round(data.confidence * 100) : "",
    context: data.applied === undefined ? undefined : data.applied ? "applied" : "suggested",
    holder:
      data.assigneeId != null
        ? named("staff", data.assigneeId)
        : data.role
          ? t("process.holder.role", {
              department: data.departmentId != null ? named("departments", data.departmentId) : t("process.holder.anyDepartment"),
              role: t(`role.${data.role}`),
            })
          : data.departmentId != null
            ? named("departments", data.departmentId)
            : t("process.pool"),
    duration:
      data.answered === false
        ? t("call.unanswered")
        : typeof data.seconds === "number"
          ? t("call.duration", { minutes: Math.floor(data.seconds / 60), seconds: data.seconds % 60 })
          : "",
  });
  const why =
    (e.type === "transferred" || e.type.startsWith("process_")) && data.reason
      ? t("event.withReason", { reason: reasonText(t, e.type, data.reason) })
      : e.type === "urged" && data.note
        ? t("event.withNote", { note: data.note })
        : e.type === "csat_received"
          ? `${typeof data.via === "string" ? t(`event.csatVia.${data.via}`, { defaultValue: "" }) : ""}${data.comment ? t("event.withNote", { note: data.comment }) : ""}`
          : "";
  const imported =
    e.type === "created" && data.imported
      ? t(data.imported.number ? "event.importedFromNumber" : "event.importedFrom", {
          source: t(`helpdeskImport.sources.${data.imported.source}`),
          number: data.imported.number,
        })
      : "";
  // A change a rule made says which rule.
  const rule = data.via && typeof data.via === "object" && !claimedOffer ? t(`via.${data.via.kind}`, { name: data.via.name }) : "";
  return `${text}${why}${imported}${rule}`;
}

/** Why a process step went elsewhere than designed, recorded as a code by the server (step-holders.ts); other reasons are people's words. */
const STEP_HOLDER_NOTES = new Set(["no_assignee", "owner_missing"]);
const reasonText = (t: TFunction, type: string, reason: string) =>
  type === "process_step_started" && STEP_HOLDER_NOTES.has(reason) ? t(`process.holderNote.${reason}`) : reason;
