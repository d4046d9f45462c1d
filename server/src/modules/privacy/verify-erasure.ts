import fs from "node:fs";
import { type Kysely, type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { FileStore } from "../../platform/files/file-store";
import { containsAny } from "./scrub";
import type { Needles } from "./needles";

/** Column types whose text a search can hold. */
const TEXT_TYPES = ["text", "character varying", "json", "jsonb", "ARRAY", "tsvector"];
/** The file store is searched up to this many bytes (a very large store is searched in part, and the report says how much). */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;

type Found = { where: string; count: number };

/**
 * Searches every text, JSON, array and search-index column of every table for the values, and
 * answers where any remain (count per table.column). Nothing of the values is answered.
 */
export async function searchDatabase(trx: Transaction<DB> | Kysely<DB>, needles: Needles) {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.data_type = any(${TEXT_TYPES}::text[])
    order by c.table_name, c.ordinal_position`.execute(trx);
  const remaining: Found[] = [];
  if (needles.size > 0)
    for (const c of columns.rows) {
      const asJson = c.data_type === "json" || c.data_type === "jsonb";
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table_name)} where ${containsAny(
        c.column_name,
        needles,
        asJson,
      )}`.execute(trx);
      const n = rows[0]?.n ?? 0;
      if (n > 0) remaining.push({ where: `${c.table_name}.${c.column_name}`, count: n });
    }
  return { columnsSearched: columns.rows.length, remaining };
}

/** Searches the stored files byte by byte (as UTF-8) for the values. */
export async function searchFiles(files: FileStore, needles: Needles) {
  const patterns = needles.values.map((v) => Buffer.from(v, "utf8"));
  const remaining: Found[] = [];
  let searched = 0;
  let bytes = 0;
  for await (const file of files.paths()) {
    const size = (await fs.promises.stat(file)).size;
    if (bytes + size > MAX_FILE_BYTES) break;
    bytes += size;
    searched++;
    if (patterns.length === 0) continue;
    const data = await fs.promises.readFile(file);
    const hits = patterns.filter((p) => data.includes(p)).length;
    if (hits > 0) remaining.push({ where: `file:${file.slice(file.lastIndexOf("/") + 1, file.lastIndexOf("/") + 13)}…`, count: hits });
  }
  return { filesSearched: searched, remaining };
}
