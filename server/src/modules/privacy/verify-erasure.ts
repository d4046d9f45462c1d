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

/** Tables that keep copies of what anyone wrote, not tied to one ticket or customer: searched whole. */
const COPY_TABLES = new Set([
  "domain_events",
  "jobs",
  "audit_log",
  "bulk_changes",
  "idempotency_keys",
  "kb_articles",
  "kb_article_versions",
  "ai_calls",
  "crm_lookup_cache",
]);

export type Subject = { customerIds: number[]; ticketIds: number[] };

/**
 * Which rows of a table a search covers: the person's own rows wherever a table belongs to tickets
 * or customers (other people may well write the same words), every row of the tables that keep
 * copies, nothing of configuration tables (categories, staff, rules…). Null: not searched.
 */
function rowsOf(table: string, columns: Set<string>, who: Subject) {
  const ids = (list: number[]) => sql.join(list.length ? list : [-1]);
  if (table === "customers") return sql`id in (${ids(who.customerIds)})`;
  if (table === "sessions") return sql`principal_type = 'customer' and principal_id in (${ids(who.customerIds)})`;
  if (table === "tickets") return sql`id in (${ids(who.ticketIds)})`;
  if (table === "ticket_messages") return sql`(ticket_id in (${ids(who.ticketIds)}) or author_customer_id in (${ids(who.customerIds)}))`;
  if (columns.has("ticket_id") && columns.has("customer_id"))
    return sql`(ticket_id in (${ids(who.ticketIds)}) or customer_id in (${ids(who.customerIds)}))`;
  if (columns.has("ticket_id")) return sql`ticket_id in (${ids(who.ticketIds)})`;
  if (columns.has("customer_id")) return sql`customer_id in (${ids(who.customerIds)})`;
  if (COPY_TABLES.has(table)) return sql`true`;
  return null;
}

/**
 * Searches the text, JSON, array and search-index columns for the values (case-insensitive) —
 * the person's rows and every copy — and answers where any remain (count per table.column).
 * Nothing of the values is answered.
 */
export async function searchDatabase(trx: Transaction<DB> | Kysely<DB>, needles: Needles, who: Subject) {
  const all = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(trx);
  const columnsOf = new Map<string, Set<string>>();
  for (const c of all.rows) columnsOf.set(c.table_name, (columnsOf.get(c.table_name) ?? new Set()).add(c.column_name));
  const remaining: Found[] = [];
  let searched = 0;
  for (const c of all.rows) {
    if (!TEXT_TYPES.includes(c.data_type)) continue;
    const scope = rowsOf(c.table_name, columnsOf.get(c.table_name) ?? new Set(), who);
    if (!scope) continue;
    searched++;
    if (needles.size === 0) continue;
    const asJson = c.data_type === "json" || c.data_type === "jsonb";
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table_name)} where ${scope} and ${containsAny(
      c.column_name,
      needles,
      asJson,
    )}`.execute(trx);
    const n = rows[0]?.n ?? 0;
    if (n > 0) remaining.push({ where: `${c.table_name}.${c.column_name}`, count: n });
  }
  return { columnsSearched: searched, remaining };
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
