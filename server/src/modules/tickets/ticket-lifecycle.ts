import type { TicketStatus } from "@loopdesk/contracts/tickets";
import { InvalidTransitionError } from "../../platform/errors";

/**
 * The ticket state machine. new → open → pending (waiting on the customer) / on_hold (挂起)
 * → solved → closed. Closed is final: nothing leaves it, and a reply opens a follow-up ticket.
 */
const transitions: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["open", "pending", "on_hold", "solved"],
  open: ["pending", "on_hold", "solved"],
  pending: ["open", "on_hold", "solved"],
  on_hold: ["open", "pending", "solved"],
  solved: ["open", "closed"],
  closed: [],
};

export const canTransition = (from: TicketStatus, to: TicketStatus) => from === to || transitions[from].includes(to);

export function assertTransition(from: TicketStatus, to: TicketStatus) {
  if (!canTransition(from, to)) throw InvalidTransitionError(from, to);
}

/** Where a ticket goes when the customer writes: waiting and solved tickets come back to the agent. */
export function statusAfterCustomerReply(from: TicketStatus): TicketStatus {
  return from === "pending" || from === "on_hold" || from === "solved" ? "open" : from;
}

/**
 * A staff public reply to a new ticket — or a note by its owner — takes it into work unless the
 * agent chose a status. `takesUp`: the message is one of those.
 */
export function statusAfterStaffReply(from: TicketStatus, requested: TicketStatus | undefined, takesUp: boolean): TicketStatus {
  if (requested) return requested;
  return takesUp && from === "new" ? "open" : from;
}

/** Column changes that come with entering a status. */
export function statusSideEffects(
  from: TicketStatus,
  to: TicketStatus,
  now: Date,
): { solved_at?: Date | null; closed_at?: Date; status_changed_at?: Date; reopened: boolean } {
  if (from === to) return { reopened: false };
  return {
    status_changed_at: now,
    ...(to === "solved" ? { solved_at: now } : {}),
    ...(to === "closed" ? { closed_at: now } : {}),
    ...(from === "solved" && to !== "closed" ? { solved_at: null } : {}),
    reopened: from === "solved" && to === "open",
  };
}

/** Whether the customer's last message (or the request itself) has a public staff reply after it. */
export function answeredSinceCustomer(t: { last_staff_reply_at: Date | null; last_customer_message_at: Date | null; created_at: Date }) {
  return t.last_staff_reply_at !== null && t.last_staff_reply_at >= (t.last_customer_message_at ?? t.created_at);
}

/** Priority one level up (urgent stays urgent): escalation steps and rules raise by this ladder. */
export function raisedPriority(p: string): "normal" | "high" | "urgent" {
  return ({ low: "normal", normal: "high", high: "urgent" } as Record<string, "normal" | "high" | "urgent">)[p] ?? "urgent";
}
