import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database";
import { KEPT_STATEMENTS } from "../../src/db/pglite-statement";
import { compiledOnce, slot } from "../../src/db/compiled-once";
import { plannedWithItsValues, prepared } from "../../src/db/prepared-statements";
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

  it("a statement run again answers as the first time: columns, types and counts of changed rows", async () => {
    const read = () =>
      database.db
        .selectFrom("tickets")
        .select(["id", "subject", "tags", "created_at", "custom_fields"])
        .where("id", "in", ticketIds)
        .orderBy("id")
        .execute();
    const first = await read();
    expect(first).toHaveLength(2);
    expect(first[0]?.created_at).toBeInstanceOf(Date);
    expect(await read()).toEqual(first);
    const touch = () =>
      database.db
        .updateTable("tickets")
        .set({ tags: ["再次"] })
        .where("id", "in", ticketIds)
        .executeTakeFirst();
    expect((await touch()).numUpdatedRows).toBe(2n);
    expect((await touch()).numUpdatedRows).toBe(2n);
    expect((await read()).map((t) => t.tags)).toEqual([["再次"], ["再次"]]);
    const none = () => database.db.deleteFrom("tickets").where("id", "=", -1).executeTakeFirst();
    expect((await none()).numDeletedRows).toBe(0n);
    expect((await none()).numDeletedRows).toBe(0n);
  });

  it("a statement compiled once answers each run with that run's values, in or out of a transaction", async () => {
    const ticketsOf = compiledOnce((db) =>
      db
        .selectFrom("tickets")
        .select(["id", "subject"])
        .where("id", "=", slot<number>("id"))
        .where("created_at", "<=", slot<Date>("until"))
        .where("status", "in", ["new", "open"])
        .modifyEnd(prepared),
    );
    const until = new Date(Date.now() + 60_000);
    const [first, second] = ticketIds as [number, number];
    expect(await ticketsOf(database.db, { id: first, until })).toEqual([{ id: first, subject: "预备 1" }]);
    expect(await ticketsOf(database.db, { id: second, until })).toEqual([{ id: second, subject: "预备 2" }]);
    // A value is the run's own, not the first run's: an earlier time finds nothing.
    expect(await ticketsOf(database.db, { id: second, until: new Date(0) })).toEqual([]);
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable("tickets").set({ subject: "事务里改的" }).where("id", "=", first).execute();
      expect(await ticketsOf(trx, { id: first, until })).toEqual([{ id: first, subject: "事务里改的" }]);
    });
    await expect(ticketsOf(database.db, { id: first })).rejects.toThrow(/slot "until"/);
  });

  it("a transaction starts with its first statement, whether built or raw, and commits or rolls back whole", async () => {
    const probe = async (name: string) =>
      (await database.db.selectFrom("departments").select("id").where("name", "=", name).execute()).length;
    // Rolled back: the built first statement ran inside the transaction.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto("departments").values({ name: "回滚甲" }).execute();
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await probe("回滚甲")).toBe(0);
    // A raw script without parameters as the first statement: inside it too.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql.raw("insert into departments (name) values ('回滚乙')").execute(trx);
        await trx.insertInto("departments").values({ name: "回滚丙" }).execute();
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect((await probe("回滚乙")) + (await probe("回滚丙"))).toBe(0);
    // One transaction: its statements see the same transaction time, however far apart.
    const times = await database.db.transaction().execute(async (trx) => {
      const first = await sql<{ t: Date }>`select now() as t`.execute(trx);
      await new Promise((r) => setTimeout(r, 20));
      const second = await sql<{ t: Date }>`select now() as t, ${1}::int as n`.execute(trx);
      await trx.insertInto("departments").values({ name: "提交丁" }).execute();
      return [first.rows[0]?.t, second.rows[0]?.t];
    });
    expect(times[0]).toEqual(times[1]);
    expect(await probe("提交丁")).toBe(1);
    // A transaction without statements, and one whose first statement fails: the next one works.
    await database.db.transaction().execute(async () => {});
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`select ${1}::int / ${0}::int as failed_first`.execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    await database.db.transaction().execute((trx) => trx.insertInto("departments").values({ name: "提交戊" }).execute());
    expect(await probe("提交戊")).toBe(1);
  });

  it.skipIf(inject("engine") !== "pglite")("on PGlite every statement is parsed once per process; a failed one is not kept", async () => {
    const held = async () =>
      (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db)).rows.map((r) => r.statement);
    await sql`select ${1}::int as parsed_once`.execute(database.db);
    await sql`select ${2}::int as parsed_once`.execute(database.db);
    // A statement Kysely built without parameters too (raw text without them may be a script: not kept).
    await database.db.selectFrom("departments").select(["id as built_once"]).execute();
    await database.db.selectFrom("departments").select(["id as built_once"]).execute();
    await expect(sql`select ${1}::int as broken from no_such_table`.execute(database.db)).rejects.toThrow(/no_such_table/);
    let now = await held();
    expect(now.filter((s) => s.includes("parsed_once"))).toHaveLength(1);
    expect(now.filter((s) => s.includes("built_once"))).toHaveLength(1);
    expect(now.some((s) => s.includes("no_such_table"))).toBe(false);
    // A statement that fails inside a transaction leaves the next one working.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`select ${1}::int / ${0}::int as divided`.execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    expect((await sql<{ n: number }>`select ${5}::int as parsed_once`.execute(database.db)).rows).toEqual([{ parsed_once: 5 }]);
    // That one was parsed before it failed: it is held under its name and used again, and the next new one gets a name of its own.
    expect((await sql`select ${7}::int as parsed_after`.execute(database.db)).rows).toEqual([{ parsed_after: 7 }]);
    expect((await sql`select ${6}::int / ${2}::int as divided`.execute(database.db)).rows).toEqual([{ divided: 3 }]);
    now = await held();
    expect(now.filter((s) => s.includes("as divided"))).toHaveLength(1);
  });

  it.skipIf(inject("engine") !== "pglite")("on PGlite the least recently used statements are closed beyond the limit", async () => {
    const first = () => sql`select ${1}::int as kept_first`.execute(database.db);
    await first();
    for (let i = 0; i < KEPT_STATEMENTS + 20; i++) {
      await sql`select ${i}::int as ${sql.ref(`many_${i}`)}`.execute(database.db);
      if (i === 10) await first(); // used again: it stays among the most recent for a while
    }
    const held = (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(database.db)).rows.map(
      (r) => r.statement,
    );
    expect(held.length).toBeLessThanOrEqual(KEPT_STATEMENTS + 1);
    expect(held.some((s) => s.includes('as "many_0"'))).toBe(false);
    expect(held.some((s) => s.includes(`as "many_${KEPT_STATEMENTS + 19}"`))).toBe(true);
    expect((await first()).rows).toEqual([{ kept_first: 1 }]);
  });

  it.skipIf(inject("engine") !== "pglite")(
    "on PGlite a statement marked planned with its values is planned at every run, any other may keep one plan for any values",
    async () => {
      const plans = async (label: string) =>
        (
          await sql<{ generic_plans: number; custom_plans: number }>`
            select generic_plans, custom_plans from pg_prepared_statements where statement like ${`%${label}%`}`.execute(database.db)
        ).rows[0];
      const phone = (start: string) =>
        database.db
          .selectFrom("customer_identities")
          .select("customer_id as by_phone_start")
          .where("kind", "=", "phone")
          .where("value", "like", `${start}%`)
          .modifyEnd(plannedWithItsValues)
          .execute();
      const byId = (id: number) => database.db.selectFrom("tickets").select("id as by_id").where("id", "=", id).execute();
      for (let i = 0; i < 8; i++) {
        await phone(`1380000${i}`);
        await byId(ticketIds[0] as number);
      }
      // The marked one: eight plans, each for its own digits (a LIKE prefix can use the index only when it is known).
      expect(await plans("by_phone_start")).toEqual({ generic_plans: 0, custom_plans: 8 });
      // The other: after five runs planned with their values, one plan for any id (PostgreSQL's own choice).
      expect((await plans("by_id"))?.generic_plans).toBeGreaterThan(0);
      // A marked statement inside a transaction that rolls back (its plan mode is undone with it):
      // the statements afterwards are still planned as they are marked.
      await expect(
        database.db.transaction().execute(async (trx) => {
          await trx
            .selectFrom("tickets")
            .select("id as by_id")
            .where("id", "=", ticketIds[0] as number)
            .execute();
          await trx
            .selectFrom("customer_identities")
            .select("customer_id as by_phone_start")
            .where("kind", "=", "phone")
            .where("value", "like", "139%")
            .modifyEnd(plannedWithItsValues)
            .execute();
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      for (let i = 0; i < 3; i++) await phone(`1370000${i}`);
      expect(await plans("by_phone_start")).toEqual({ generic_plans: 0, custom_plans: 12 });
      const before = (await plans("by_id"))?.generic_plans ?? 0;
      await byId(ticketIds[1] as number);
      expect((await plans("by_id"))?.generic_plans).toBe(before + 1);
    },
  );

  it.skipIf(inject("engine") !== "pglite")("on PGlite a prepared select * answers with a column added meanwhile", async () => {
    await database.db.schema.createTable("prepared_probe").addColumn("a", "integer").execute();
    await sql`insert into prepared_probe (a) values (${1})`.execute(database.db);
    const read = () => sql<Record<string, unknown>>`select * from prepared_probe where a = ${1}`.execute(database.db);
    expect((await read()).rows).toEqual([{ a: 1 }]);
    await sql.raw("alter table prepared_probe add column b text default 'x'").execute(database.db);
    expect((await read()).rows).toEqual([{ a: 1, b: "x" }]);
    await sql.raw("drop table prepared_probe").execute(database.db);
  });

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
