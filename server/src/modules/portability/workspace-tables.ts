import { type Kysely, type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";

type Executor = Kysely<DB> | Transaction<DB>;

export type WorkspaceTable = {
  name: string;
  /** Columns a row is written with: every column but generated ones, in table order. */
  columns: string[];
  /** Primary-key columns (rows are read in this order); empty for a table without one. */
  key: string[];
  /** Tables this one refers to by foreign key (itself excluded). */
  refersTo: string[];
};

/** The migrator's own bookkeeping: made by migrations on the target, never copied. */
const NOT_WORKSPACE = new Set(["schema_migrations", "schema_migrations_lock"]);

/**
 * Every table of the workspace, read from the catalog (so a new migration's table is carried
 * without anyone listing it), ordered so that a table comes after the tables it refers to.
 */
export async function workspaceTables(db: Executor): Promise<WorkspaceTable[]> {
  const rows = await sql<{ name: string; columns: string[]; key: string[] | null; refers_to: string[] | null }>`
    select c.relname as name,
      (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
      (select array_agg(a.attname::text order by array_position(i.indkey::int2[], a.attnum)) from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = c.oid and i.indisprimary) as key,
      (select array_agg(distinct p.relname::text) from pg_constraint f join pg_class p on p.oid = f.confrelid
        where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid) as refers_to
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and not c.relispartition
    order by c.relname`.execute(db);
  const tables = rows.rows
    .filter((r) => !NOT_WORKSPACE.has(r.name))
    .map((r) => ({ name: r.name, columns: r.columns, key: r.key ?? [], refersTo: r.refers_to ?? [] }));
  return parentsFirst(tables);
}

function parentsFirst(tables: WorkspaceTable[]): WorkspaceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: WorkspaceTable[] = [];
  const visit = (t: WorkspaceTable) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new Error(`foreign keys form a cycle through ${t.name}`);
    visiting.add(t.name);
    for (const parent of t.refersTo) {
      const p = byName.get(parent);
      if (p) visit(p);
    }
    visiting.delete(t.name);
    done.add(t.name);
    ordered.push(t);
  };
  for (const t of tables) visit(t);
  return ordered;
}

export type SequenceValue = { name: string; lastValue: number; isCalled: boolean };

/** Every sequence's position (identity columns, ticket numbers), to carry over as they are. */
export async function sequenceValues(db: Executor): Promise<SequenceValue[]> {
  const names = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'S' order by c.relname`.execute(db);
  const values: SequenceValue[] = [];
  for (const { name } of names.rows) {
    const v = await sql<{ last_value: number; is_called: boolean }>`select last_value, is_called from ${sql.table(name)}`.execute(db);
    values.push({ name, lastValue: Number(v.rows[0].last_value), isCalled: v.rows[0].is_called });
  }
  return values;
}

export async function setSequences(db: Executor, values: SequenceValue[]) {
  for (const s of values) await sql`select setval(${s.name}::regclass, ${s.lastValue}, ${s.isCalled})`.execute(db);
}
