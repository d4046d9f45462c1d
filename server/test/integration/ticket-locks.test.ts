import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../src/db/database";
import { loadVisibleTicket } from "../../src/modules/tickets/ticket-access";
import { lockTicket } from "../../src/modules/tickets/ticket-lookup";
import { lockTickets, lockTicket as lockForRouting } from "../../src/modules/tickets/ticket-routing-state";
import { openTestDatabase } from "../support/test-db";

/**
 * A ticket locked for a change must not block rows that merely refer to it (their foreign-key
 * check): the analytics refresh writes facts of tickets whose history it just took over, and a
 * change that locked such a ticket and then appends to its history waited on the refresh while
 * the refresh waited on it — a deadlock, answered 409 to a user who had done nothing wrong.
 */
let database: Database;
let ticketId: number;
beforeAll(async () => {
  database = await openTestDatabase();
  const customer = await database.db
    .insertInto("customers")
    .values({ name: "锁", custom_fields: "{}" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const t = await database.db
    .insertInto("tickets")
    .values({ subject: "锁", customer_id: customer.id, tags: [], custom_fields: "{}", status_changed_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  ticketId = t.id;
});
afterAll(() => database.close());

const staff = { kind: "staff", id: 0, role: "admin", departmentIds: [] } as never;

describe("ticket locks", () => {
  const lockers: [string, (trx: Parameters<typeof lockTicket>[0]) => Promise<unknown>][] = [
    ["lockTicket", (trx) => lockTicket(trx, ticketId)],
    ["routing's lockTicket", (trx) => lockForRouting(trx, ticketId)],
    ["lockTickets", (trx) => lockTickets(trx, [ticketId])],
    ["loadVisibleTicket for update", (trx) => loadVisibleTicket(trx, staff, ticketId, { forUpdate: true })],
  ];
  for (const [name, lock] of lockers)
    it(`${name} leaves rows referring to the ticket free to be written`, async () => {
      // One connection: the embedded engine cannot hold a transaction open beside another.
      if (inject("engine") !== "postgres") return;
      await database.db.transaction().execute(async (trx) => {
        await lock(trx);
        const other = await database.db.transaction().execute(async (b) => {
          await sql`set local lock_timeout = '3s'`.execute(b);
          return b
            .insertInto("ticket_events")
            .values({ ticket_id: ticketId, type: "note_added", actor_type: "system", data: JSON.stringify({}) })
            .returning("id")
            .executeTakeFirst();
        });
        expect(other?.id).toBeGreaterThan(0);
      });
    });
});
