import type { DrilldownFilters, drilldownMetrics, drilldownTicket } from "@loopdesk/contracts/analytics";
import { type SelectQueryBuilder, sql } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import type { Executor } from "../../platform/jobs/job-queue";
import { presentedTickets } from "../tickets/ticket-lookup";
import type { Principal } from "../../platform/auth/principal";
import { visibleAmong } from "../tickets/ticket-access";
import { type Slices, rangeInstants, slicesSql } from "./report-range";

type Metric = (typeof drilldownMetrics)[number];
type Facts = SelectQueryBuilder<DB, "analytics_ticket_facts", object>;

/** When each metric's tickets count (the same moment the rollups count them on), and which of them. */
const METRICS: Record<
  Metric,
  {
    at: "created_at" | "first_response_at" | "resolved_at" | "csat_at" | "fr_breached_at" | "res_breached_at" | null;
    only?: (q: Facts) => Facts;
  }
> = {
  created: { at: "created_at" },
  resolved: { at: "resolved_at" },
  // Open now and created by the end of the range.
  backlog: { at: null, only: (q) => q.where("unresolved", "=", true) },
  first_response: { at: "first_response_at" },
  fcr: { at: "resolved_at", only: (q) => q.where("fcr", "=", true) },
  transferred: { at: "resolved_at", only: (q) => q.where("transfers", ">", 0) },
  reopened: { at: "resolved_at", only: (q) => q.where("reopens", ">", 0) },
  repeat: { at: "created_at", only: (q) => q.where("is_repeat", "=", true) },
  csat: { at: "csat_at" },
  csat_negative: { at: "csat_at", only: (q) => q.where("csat", "<=", 2) },
  // A missed target counts on the moment it was missed (as the compliance rate counts it).
  sla_first_response_breached: { at: "fr_breached_at" },
  sla_resolution_breached: { at: "res_breached_at" },
  stage: { at: "resolved_at" },
};

function scope(db: Executor, f: DrilldownFilters & Slices, timeZone: string): Facts {
  const { start, end } = rangeInstants(f.from, f.to, timeZone);
  const m = METRICS[f.metric];
  let q: Facts = db.selectFrom("analytics_ticket_facts").where(slicesSql(f));
  if (m.at) q = q.where(m.at, ">=", start).where(m.at, "<", end);
  else q = q.where("created_at", "<", end);
  if (m.only) q = m.only(q);
  if (f.metric === "stage" && f.stageDepartmentId !== undefined) q = q.where(sql<boolean>`stages @> array[${f.stageDepartmentId}]::int[]`);
  if (f.agentId !== undefined) q = q.where(f.metric === "first_response" ? "responder_id" : "assignee_id", "=", f.agentId);
  return q;
}

/** The tickets behind a number on a dashboard, newest first, a page at a time. */
export async function drilldownPage(
  db: Executor,
  f: DrilldownFilters & Slices & { cursor?: string; limit: number },
  timeZone: string,
  reader: Principal,
): Promise<{ items: z.infer<typeof drilldownTicket>[]; nextCursor: string | null; total: number }> {
  const after = f.cursor ? Number(f.cursor) : null;
  let page = scope(db, f, timeZone)
    .select(["ticket_id", "frt_s", "res_s", "csat"])
    .orderBy("ticket_id", "desc")
    .limit(f.limit + 1);
  if (after !== null && Number.isInteger(after)) page = page.where("ticket_id", "<", after);
  const [rows, count] = await Promise.all([
    page.execute(),
    scope(db, f, timeZone)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const more = rows.length > f.limit;
  const shown = rows.slice(0, f.limit);
  // The scope above already keeps to what the reader may open; this holds also while the facts
  // lag a change by a few seconds (a ticket just moved away), so a listed ticket always opens.
  const visible = await visibleAmong(
    db,
    reader,
    shown.map((r) => r.ticket_id),
  );
  const tickets = new Map(
    (
      await presentedTickets(
        db,
        shown.map((r) => r.ticket_id).filter((id) => visible.has(id)),
      )
    ).map((t) => [t.id, t]),
  );
  return {
    items: shown.flatMap((r) => {
      const t = tickets.get(r.ticket_id);
      return t
        ? [
            {
              id: t.id,
              number: t.number,
              subject: t.subject,
              status: t.status,
              priority: t.priority,
              channel: t.channel,
              categoryId: t.categoryId,
              departmentId: t.departmentId,
              assigneeId: t.assigneeId,
              createdAt: t.createdAt,
              firstResponseSeconds: r.frt_s,
              resolutionSeconds: r.res_s,
              csat: r.csat,
            },
          ]
        : [];
    }),
    nextCursor: more ? String(shown.at(-1)?.ticket_id) : null,
    total: Number(count.n),
  };
}

/** Ticket ids behind a number, for an export (at most `limit`). */
export async function drilldownIds(db: Executor, f: DrilldownFilters & Slices, timeZone: string, limit: number, reader: Principal) {
  const rows = await scope(db, f, timeZone)
    .select("ticket_id")
    .orderBy("ticket_id", "desc")
    .limit(limit + 1)
    .execute();
  const ids = rows.slice(0, limit).map((r) => r.ticket_id);
  const visible = await visibleAmong(db, reader, ids);
  return { ids: ids.filter((id) => visible.has(id)), truncated: rows.length > limit };
}
