import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database";
import { prepared } from "../../src/db/prepared-statements";
import { TICKET_COLUMNS } from "../../src/modules/tickets/ticket-columns";
import { lockTickets } from "../../src/modules/tickets/ticket-routing-state";
import { openTestDatabase } from "../support/test-db";

/**
 * The hot statements are kept prepared on PostgreSQL connections; they name their result columns,
 * so a migration that adds a column (run by another process, say) does not break a connection
 * holding them prepared.
 */
let database: Database & { url?: string };
let ticketIds: number[];
beforeAll(async () => {
  database = await openTestDatabase();
  const customer = await database.db
    .insertInto("customers")
    .values({ name: "预备语句", custom_fields: "{}" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const rows = await database.db
    .insertInto("tickets")
    .values(
      [1, 2].map((i) => ({ subject: `预备 ${i}`, customer_id: customer.id, tags: [], custom_fields: "{}", status_changed_at: new Date() })),
    )
    .returning("id")
    .execute();
  ticketIds = rows.map((r) => r.id);
});
afterAll(() => database.close());

describe("prepared statements", () => {
  it("TICKET_COLUMNS lists every column of tickets", async () => {
    const { rows } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'tickets' and table_schema = current_schema()`.execute(
      database.db,
    );
    expect(new Set(rows.map((r) => r.column_name))).toEqual(new Set(TICKET_COLUMNS));
  });

  it("parameters of every kind arrive as written, on either engine", async () => {
    const at = new Date("2026-12-05T03:04:05.678Z");
    const bytes = Buffer.from([0, 1, 254, 255]);
    const { rows } = await sql<Record<string, unknown>>`
      select ${at}::timestamptz as at, ${["甲", 'b"c', "d,e", ""]}::text[] as list, ${JSON.stringify({ 工单: [1, null] })}::jsonb as doc,
             ${true}::boolean as yes, ${bytes}::bytea as bytes, ${42}::int as n, ${null}::text as nothing,
             ${"O'Brien \\ 退款"} as text, ${[3, 4]}::int[] as ints`.execute(database.db);
    expect(rows[0]).toEqual({
      at,
      list: ["甲", 'b"c', "d,e", ""],
      doc: { 工单: [1, null] },
      yes: true,
      bytes: expect.anything(),
      n: 42,
      nothing: null,
      text: "O'Brien \\ 退款",
      ints: [3, 4],
    });
    expect(Buffer.from(rows[0]?.bytes as Uint8Array)).toEqual(bytes);
    // Inferred parameter types, as PostgreSQL infers them for node-postgres.
    const inferred = await database.db
      .selectFrom("tickets")
      .select(["id"])
      .where("id", "in", ticketIds)
      .where("created_at", "<", new Date(Date.now() + 60_000))
      .where(sql<boolean>`tags = ${[]}`)
      .execute();
    expect(inferred.map((t) => t.id).sort()).toEqual([...ticketIds].sort());
  });

  it.skipIf(inject("engine") !== "pglite")(
    "on PGlite a marked statement is parsed once per process; a failed one is not kept",
    async () => {
      await sql`${prepared}select ${1}::int as marked_once`.execute(database.db);
      await sql`${prepared}select ${2}::int as marked_once`.execute(database.db);
      await sql`select ${3}::int as plain_each_time`.execute(database.db);
      await expect(sql`${prepared}select ${1}::int as marked_broken from no_such_table`.execute(database.db)).rejects.toThrow(
        /no_such_table/,
      );
      const held = (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db)).rows.map(
        (r) => r.statement,
      );
      expect(held.filter((s) => s.includes("marked_once"))).toHaveLength(1);
      expect(held.some((s) => s.includes("plain_each_time") || s.includes("marked_broken"))).toBe(false);
      // A statement that fails inside a transaction leaves the next one working.
      await expect(
        database.db.transaction().execute(async (trx) => {
          await sql`${prepared}select ${1}::int / ${0}::int as divided`.execute(trx);
        }),
      ).rejects.toThrow(/division by zero/);
      expect((await sql<{ n: number }>`${prepared}select ${5}::int as marked_once`.execute(database.db)).rows).toEqual([
        { marked_once: 5 },
      ]);
      // That one was parsed before it failed: it is held under its name and used again, and the next new one gets a name of its own.
      expect((await sql`${prepared}select ${7}::int as marked_after`.execute(database.db)).rows).toEqual([{ marked_after: 7 }]);
      expect((await sql`${prepared}select ${6}::int / ${2}::int as divided`.execute(database.db)).rows).toEqual([{ divided: 3 }]);
      const after = (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db)).rows.map(
        (r) => r.statement,
      );
      expect(after.filter((s) => s.includes("as divided"))).toHaveLength(1);
    },
  );

  it.skipIf(inject("engine") !== "postgres")(
    "marked statements are prepared once per connection and survive a column added meanwhile",
    async () => {
      // One connection, so every statement below runs on it.
      const one = await openDatabase({ engine: "postgres", url: database.url as string, poolSize: 1 });
      try {
        const lock = () => one.db.transaction().execute((trx) => lockTickets(trx, ticketIds));
        expect((await lock()).map((t) => t.id)).toEqual(ticketIds);
        await lock();
        await sql`select ${1}::int as plain`.execute(one.db);
        await sql`${prepared}select ${2}::int as marked`.execute(one.db);
        const held = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(one.db);
        const statements = held.rows.map((r) => r.statement);
        expect(statements.filter((s) => s.includes('from "tickets"'))).toHaveLength(1);
        expect(statements.some((s) => s.includes("as marked"))).toBe(true);
        expect(statements.some((s) => s.includes("as plain"))).toBe(false);

        // Another process migrates: the table gets a column. The prepared statement is re-planned, its result unchanged.
        await sql`alter table tickets add column added_by_a_later_migration int`.execute(database.db);
        const after = await lock();
        expect(after.map((t) => t.id)).toEqual(ticketIds);
        expect(Object.keys(after[0] as object).sort()).toEqual([...TICKET_COLUMNS].sort());
      } finally {
        await one.close();
      }
    },
  );
});
