import type { ListTicketsQuery } from "@loopdesk/contracts/tickets";
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import { decodeCursor, encodeCursor } from "../../platform/http/cursor";
import { queryWords, searchQuery } from "../../platform/text/search-text";
import { listSynonyms } from "../knowledge/synonyms";
import { customerNames, customersMatching } from "../customers/customer-service";
import { organizationsMatching } from "../organizations/organization-service";
import { scopeFilter, scopeFor } from "./ticket-access";
import { activeDefinitions } from "../custom-fields/custom-field-service";
import { presentPortalTicket, presentTicket } from "./ticket-presenter";
import { plannedWithItsValues } from "../../db/prepared-statements";

export type TicketFilters = Omit<ListTicketsQuery, "sort" | "cursor" | "limit">;

/** What a text search matched by, for ranking. */
type TextMatch = { tsquery: string | null; number: number | null; customerIds: number[]; words: string[] };

/** The visible tickets matching the filters (shared by listing and counting), and what a text search matched by. */
async function filteredTickets(ctx: AppContext, principal: Principal, query: TicketFilters, newestMatches?: number) {
  const scope = await scopeFor(ctx.db, principal);
  let q = ctx.db.selectFrom("tickets").where(scopeFilter(scope));
  if (query.status?.length) q = q.where("status", "in", query.status);
  if (query.priority?.length) q = q.where("priority", "in", query.priority);
  if (query.assignee === "none") q = q.where("assignee_id", "is", null);
  else if (query.assignee === "me") {
    if (principal.kind !== "staff")
      throw ValidationError([{ path: "assignee", code: "staff_only", message: "Only staff have assigned tickets." }]);
    q = q.where("assignee_id", "=", principal.id);
  } else if (query.assignee !== undefined) q = q.where("assignee_id", "=", query.assignee);
  if (query.department === "mine") {
    if (principal.kind !== "staff")
      throw ValidationError([{ path: "department", code: "staff_only", message: "Only staff belong to departments." }]);
    q = principal.departmentIds.length ? q.where("department_id", "in", principal.departmentIds) : q.where((eb) => eb.lit(false));
  } else if (query.department) q = q.where("department_id", "=", query.department);
  if (query.customer) q = q.where("customer_id", "=", query.customer);
  if (query.category) q = q.where("category_id", "=", query.category);
  if (query.tag) q = q.where(sql<SqlBool>`tickets.tags @> array[${query.tag}]::text[]`);
  if (query.sla) {
    const now = new Date();
    q =
      query.sla === "breached"
        ? q.where("sla_next_due_at", "<=", now)
        : q.where("sla_next_due_at", ">", now).where("sla_next_due_at", "<=", new Date(now.getTime() + AT_RISK_MS));
  }
  if (query.createdFrom) q = q.where("created_at", ">=", new Date(query.createdFrom));
  if (query.createdTo) q = q.where("created_at", "<", new Date(query.createdTo));
  let match: TextMatch | undefined;
  if (query.q) {
    const number = /^#?(\d{1,15})$/.exec(query.q);
    const tsquery = searchQuery(
      query.q,
      (await listSynonyms(ctx.db)).map((g) => g.words),
    );
    // The customer a text names (name, phone, email) and organizations it names: their tickets match too.
    const [customerIds, organizationIds] =
      principal.kind === "staff"
        ? await Promise.all([customersMatching(ctx.db, query.q), organizationsMatching(ctx.db, query.q)])
        : [[], []];
    // Each way of matching gives ticket ids by its own index; their union is one set the list then
    // orders. (As OR-ed conditions on tickets, a rare match made PostgreSQL walk the newest tickets
    // until it had a page: 180 ms at 1M tickets for a phone number's last digits.)
    const sources: RawBuilder<unknown>[] = [];
    if (number) sources.push(sql`select id from tickets where number = ${Number(number[1])}`);
    // Ranked lists weigh the newest matches of the words (a common word matches a large part of an archive).
    if (tsquery)
      sources.push(
        newestMatches
          ? sql`(select ticket_id from ticket_search where document @@ to_tsquery('simple', ${tsquery}) order by ticket_id desc limit ${newestMatches})`
          : sql`select ticket_id from ticket_search where document @@ to_tsquery('simple', ${tsquery})`,
      );
    if (customerIds.length) sources.push(sql`select id from tickets where customer_id = any(${customerIds}::int[])`);
    if (organizationIds.length) sources.push(sql`select id from tickets where organization_id = any(${organizationIds}::int[])`);
    q = q.where((eb) => (sources.length ? sql<SqlBool>`tickets.id in (${sql.join(sources, sql` union all `)})` : eb.lit(false)));
    match = { tsquery, number: number ? Number(number[1]) : null, customerIds, words: queryWords(query.q, 8) };
  }
  return { q, match };
}

/** Ranked lists weigh this many of the newest tickets whose text matches. */
const RANKED_MATCHES = 1000;

/**
 * How well a ticket matches a search, highest first: its number typed in full above all; then how
 * densely the words occur in its text (ts_rank_cd: the words close together and often), with a
 * bonus for each word its subject contains and for a ticket of a customer the text names. Ties go
 * to the newest ticket.
 */
function relevance(match: TextMatch) {
  const parts: RawBuilder<unknown>[] = [sql`0::real`];
  if (match.number !== null) parts.push(sql`case when tickets.number = ${match.number} then 10 else 0 end`);
  if (match.tsquery)
    parts.push(
      sql`coalesce((select ts_rank_cd(s.document, to_tsquery('simple', ${match.tsquery}), 32) from ticket_search s where s.ticket_id = tickets.id), 0)`,
    );
  for (const word of match.words)
    parts.push(sql`case when strpos(lower(tickets.subject), ${word}) > 0 then ${0.5 / match.words.length}::real else 0 end`);
  if (match.customerIds.length) parts.push(sql`case when tickets.customer_id = any(${match.customerIds}::int[]) then 0.3 else 0 end`);
  return sql<number>`(${sql.join(parts, sql` + `)})::real`;
}

const COUNT_CAP = 10_000;
/** 即将超时: a clock falls due within this window. */
const AT_RISK_MS = 60 * 60_000;

/** How many visible tickets match, counted up to a cap so a view's badge never scans a whole archive. */
export async function countTickets(ctx: AppContext, principal: Principal, query: TicketFilters) {
  const { q } = await filteredTickets(ctx, principal, query);
  const row = await ctx.db
    .selectFrom(
      q
        .select("tickets.id")
        .limit(COUNT_CAP + 1)
        .as("matching"),
    )
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .modifyEnd(plannedWithItsValues)
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

/** Lists visible tickets as staff see them (the queue, exports, suggestions). */
export async function listTickets(ctx: AppContext, principal: Principal, query: ListTicketsQuery) {
  const { rows, nextCursor } = await listTicketRows(ctx, principal, query);
  // The customer's name beside each ticket (one lookup for the page).
  const names = await customerNames(ctx.db, [...new Set(rows.map((t) => t.customer_id))]);
  return { items: rows.map((t) => ({ ...presentTicket(t), customerName: names.get(t.customer_id) ?? "" })), nextCursor };
}

/** The list as its caller sees it: a customer the portal view of each ticket. */
export async function listTicketsFor(ctx: AppContext, principal: Principal, query: ListTicketsQuery) {
  if (principal.kind === "staff") return listTickets(ctx, principal, query);
  const { rows, nextCursor } = await listTicketRows(ctx, principal, query);
  const fields = await activeDefinitions(ctx.db, "ticket");
  return { items: rows.map((t) => presentPortalTicket(t, fields)), nextCursor };
}

/** Visible tickets with filters, keyset (cursor) pagination and a stable order (ties by id). */
async function listTicketRows(ctx: AppContext, principal: Principal, query: ListTicketsQuery) {
  const ranked = query.sort === "relevance";
  if (ranked && !query.q)
    throw ValidationError([{ path: "sort", code: "needs_search", message: "Sorting by relevance needs a search text (q)." }]);
  const filtered = await filteredTickets(ctx, principal, query, ranked ? RANKED_MATCHES : undefined);
  const match = filtered.match as TextMatch;

  const desc = ranked || query.sort.startsWith("-");
  const key = query.sort.replace(/^-/, "") as "created_at" | "updated_at" | "priority" | "sla_due" | "score" | "relevance";
  const dir = desc ? "desc" : "asc";
  const cmp = desc ? sql.raw("<") : sql.raw(">");
  // Tickets without a running SLA clock sort after every due time.
  const keyExpr =
    key === "relevance"
      ? relevance(match)
      : key === "sla_due"
        ? sql`coalesce(tickets.sla_next_due_at, 'infinity'::timestamptz)`
        : sql.ref(`tickets.${key === "priority" ? "priority_rank" : key === "score" ? "priority_score" : key}`);
  // A rank is computed once and read back for the cursor; other keys are columns of the row.
  let q = filtered.q.selectAll("tickets").select((ranked ? keyExpr : sql<number>`null`).as("sort_key"));
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor);
    if (typeof id !== "number" || value === null)
      throw ValidationError([{ path: "cursor", code: "invalid_cursor", message: "Invalid cursor." }]);
    const typed =
      key === "priority" || key === "score"
        ? sql`${Number(value)}::integer`
        : key === "relevance"
          ? sql`${Number(value)}::real`
          : sql`${String(value)}::timestamptz`;
    q = q.where(sql<SqlBool>`(${keyExpr}, tickets.id) ${cmp} (${typed}, ${id})`);
  }
  const rows = await q
    .orderBy(keyExpr, dir)
    .orderBy("tickets.id", dir)
    .limit(query.limit + 1)
    .modifyEnd(plannedWithItsValues)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const lastKey = (t: (typeof page)[number]) =>
    key === "priority"
      ? t.priority_rank
      : key === "score"
        ? t.priority_score
        : key === "relevance"
          ? Number(t.sort_key)
          : key === "sla_due"
            ? (t.sla_next_due_at?.toISOString() ?? "infinity")
            : (t[key] as Date).toISOString();
  return {
    rows: page,
    nextCursor: rows.length > query.limit && last ? encodeCursor([lastKey(last), last.id]) : null,
  };
}
