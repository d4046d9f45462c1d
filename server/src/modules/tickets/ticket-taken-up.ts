import type { AppContext } from "../../platform/context";
import type { Executor } from "../../platform/jobs/job-queue";
import { changeTicket } from "./change-ticket";
import type { Actor } from "./ticket-events";
import { lockTicket } from "./ticket-lookup";

/**
 * A new ticket whose owner starts working on it — starts a process on it or finishes one of its
 * steps (a note does the same, in addMessage) — is 处理中 (open): the queue shows it taken up, and
 * routing no longer counts it untouched, so it stays with them when their shift ends. Answers
 * whether it moved.
 */
export async function openWhenOwnerWorks(ctx: AppContext, trx: Executor, ticketId: number, actor: Actor) {
  if (actor.type !== "staff") return false;
  const ticket = await lockTicket(trx, ticketId);
  if (ticket?.status !== "new" || ticket.assignee_id !== actor.id) return false;
  await changeTicket(ctx, trx, ticket, { status: "open" }, actor);
  return true;
}
