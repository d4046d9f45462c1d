import { type Kysely, type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { Needles } from "./needles";

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
type Column = { name: string; json: boolean };

/**
 * Tables that hold copies of what people wrote (events, outbox, jobs, deliveries, notifications,
 * logs): rows containing any searched value get those values replaced, wherever they sit in the
 * row. The ticket's own content is handled by purgeTickets.
 */
const COPIES: { table: string; key: string; columns: Column[] }[] = [
  { table: "ticket_events", key: "id", columns: json("before", "after", "data") },
  { table: "domain_events", key: "id", columns: json("payload") },
  { table: "jobs", key: "id", columns: [...json("payload"), ...text("last_error")] },
  { table: "webhook_deliveries", key: "id", columns: [...json("payload"), ...text("response_body", "error")] },
  { table: "notifications", key: "id", columns: json("data") },
  { table: "audit_log", key: "id", columns: [...text("actor_name", "target_name"), ...json("before", "after", "detail")] },
  { table: "assignment_log", key: "id", columns: [...text("reason"), ...json("details", "candidates")] },
  { table: "bulk_changes", key: "id", columns: json("items") },
  { table: "idempotency_keys", key: "key", columns: json("response") },
  { table: "process_instances", key: "id", columns: json("state", "step_values") },
  { table: "process_tasks", key: "id", columns: [...json("step_values"), ...text("comment", "note")] },
  { table: "follow_up_visits", key: "id", columns: [...text("reason", "outcome"), ...json("source")] },
  { table: "inbound_emails", key: "id", columns: text("subject", "from_address", "reason", "message_id") },
  { table: "ai_calls", key: "id", columns: text("error") },
  { table: "kb_help_visits", key: "id", columns: text("query") },
  { table: "privacy_requests", key: "id", columns: text("note") },
  { table: "analytics_ticket_facts", key: "ticket_id", columns: json("contributions") },
];

function json(...names: string[]): Column[] {
  return names.map((name) => ({ name, json: true }));
}
function text(...names: string[]): Column[] {
  return names.map((name) => ({ name, json: false }));
}

/** A row's column contains a searched value (case-insensitive, like the verification). */
export const containsAny = (column: string, needles: Needles, asJson: boolean) =>
  sql<boolean>`${sql.ref(column)}::text ilike any(${needles.patterns(asJson)}::text[])`;

/** Lets this transaction (only) redact values in the append-only history and audit log (migration 0051). */
export const allowRedaction = (trx: Transaction<DB>) => sql`select set_config('loopdesk.erasure', 'on', true)`.execute(trx);

/**
 * Replaces the searched values in every copy. The audit log accepts these updates only inside the
 * erasure's transaction (`loopdesk.erasure`, see migration 0051). Answers rows changed per table.
 */
export async function scrubCopies(trx: Transaction<DB>, needles: Needles): Promise<Record<string, number>> {
  const done: Record<string, number> = {};
  if (needles.size === 0) return done;
  await allowRedaction(trx);
  const t = trx as unknown as AnyDb;
  for (const { table, key, columns } of COPIES) {
    const rows = await t
      .selectFrom(table)
      .select([key, ...columns.map((c) => c.name)])
      .where((eb) => eb.or(columns.map((c) => containsAny(c.name, needles, c.json))))
      .execute();
    for (const row of rows) {
      const set: Record<string, unknown> = {};
      for (const c of columns) {
        const v = row[c.name];
        if (v === null || v === undefined) continue;
        if (c.json) {
          const scrubbed = needles.scrubJson(v);
          if (scrubbed !== null) set[c.name] = JSON.stringify(scrubbed);
        } else if (typeof v === "string") {
          const scrubbed = needles.scrub(v);
          if (scrubbed !== v) set[c.name] = scrubbed;
        }
      }
      if (Object.keys(set).length === 0) continue;
      await t
        .updateTable(table)
        .set(set)
        .where(key, "=", row[key] as string | number)
        .execute();
      done[table] = (done[table] ?? 0) + 1;
    }
  }
  return done;
}
