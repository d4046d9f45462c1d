import type { z } from "zod";
import type { ticketStatusAnswer, ticketStatusLookupBody } from "@loopdesk/contracts/tickets";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import { checkThrottle, recordFailure } from "../../platform/auth/attempt-throttle";
import { NotFoundError } from "../../platform/errors";
import { findCustomerByIdentity } from "../customers/customer-service";

const WINDOW_MS = 15 * 60_000;

/**
 * Anyone with a ticket number and the email or phone it was opened with may see its status (and
 * urge it). A wrong number and a wrong contact answer the same 404, and failures are throttled per
 * address and per ticket number so numbers cannot be walked.
 */
export async function findTicketByContact(db: Kysely<DB>, input: { number: number; contact: string }, ip: string) {
  const keys = [
    { key: `status:ip:${ip}`, max: 20 },
    { key: `status:ticket:${input.number}`, max: 10 },
  ];
  await checkThrottle(db, keys, WINDOW_MS);
  const contact = await findCustomerByIdentity(db, input.contact.includes("@") ? "email" : "phone", input.contact);
  const ticket = contact
    ? await db
        .selectFrom("tickets")
        .select(["id", "customer_id", "number", "status", "created_at", "updated_at", "solved_at"])
        .where("number", "=", input.number)
        // A merged-away customer's contact still finds the tickets that moved to the survivor.
        .where("customer_id", "in", [contact.id, ...(contact.merged_into_id ? [contact.merged_into_id] : [])])
        .executeTakeFirst()
    : undefined;
  if (!ticket) {
    await recordFailure(db, keys);
    throw NotFoundError("Ticket");
  }
  return ticket;
}

export async function lookupTicketStatus(
  db: Kysely<DB>,
  input: z.output<typeof ticketStatusLookupBody>,
  ip: string,
): Promise<Omit<z.output<typeof ticketStatusAnswer>, "stages"> & { id: number }> {
  const ticket = await findTicketByContact(db, input, ip);
  return {
    id: ticket.id,
    number: Number(ticket.number),
    status: ticket.status as z.output<typeof ticketStatusAnswer>["status"],
    createdAt: ticket.created_at.toISOString(),
    updatedAt: ticket.updated_at.toISOString(),
    solvedAt: ticket.solved_at?.toISOString() ?? null,
  };
}
