import type { AuditEntry, AuditFilters } from "@loopdesk/contracts/security";
import { type Kysely, type SelectQueryBuilder, type Selectable, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { AuditLogTable } from "../../db/schema-security";
import { decodeCursor, encodeCursor } from "../../platform/http/cursor";

export function presentAuditEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
    ip: r.ip,
    action: r.action,
    outcome: r.outcome,
    target: { type: r.target_type, id: r.target_id, name: r.target_name },
    before: r.before ?? null,
    after: r.after ?? null,
    detail: r.detail ?? null,
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(db: Kysely<DB>, f: AuditFilters): SelectQueryBuilder<DB, "audit_log", Selectable<AuditLogTable>> {
  let q = db.selectFrom("audit_log").selectAll();
  if (f.action)
    q = q.where((eb) => eb.or([eb("action", "=", f.action as string), eb("action", "like", `${escapeLike(f.action as string)}.%`)]));
  if (f.actorType) q = q.where("actor_type", "=", f.actorType);
  if (f.actorId) q = q.where("actor_id", "=", f.actorId);
  if (f.targetType) q = q.where("target_type", "=", f.targetType);
  if (f.targetId) q = q.where("target_id", "=", f.targetId);
  if (f.outcome) q = q.where("outcome", "=", f.outcome);
  if (f.from) q = q.where("at", ">=", new Date(f.from));
  if (f.to) q = q.where("at", "<", new Date(f.to));
  for (const word of (f.q ?? "").split(/\s+/).filter(Boolean)) {
    const like = `%${escapeLike(word)}%`;
    q = q.where((eb) =>
      eb.or([
        eb("action", "ilike", like),
        eb("actor_name", "ilike", like),
        eb("target_name", "ilike", like),
        eb("ip", "ilike", like),
        eb(sql<string>`coalesce(before::text, '') || coalesce(after::text, '')`, "ilike", like),
      ]),
    );
  }
  return q;
}

/** The audit log, newest first, one page at a time. */
export async function searchAudit(db: Kysely<DB>, query: AuditFilters & { cursor?: string; limit: number }) {
  let q = filtered(db, query);
  if (query.cursor) q = q.where("id", "<", Number(decodeCursor(query.cursor)[0]));
  const rows = await q
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(presentAuditEntry),
    nextCursor: rows.length > query.limit ? encodeCursor([Number(page[page.length - 1]?.id)]) : null,
  };
}

export const AUDIT_EXPORT_LIMIT = 50_000;

/** Every entry a filter finds (newest first, at most AUDIT_EXPORT_LIMIT), for a spreadsheet. */
export async function auditRows(db: Kysely<DB>, f: AuditFilters) {
  const rows = await filtered(db, f)
    .orderBy("id", "desc")
    .limit(AUDIT_EXPORT_LIMIT + 1)
    .execute();
  return { rows: rows.slice(0, AUDIT_EXPORT_LIMIT).map(presentAuditEntry), truncated: rows.length > AUDIT_EXPORT_LIMIT };
}
