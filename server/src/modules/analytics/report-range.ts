import type { AnalyticsFilters } from "@loopdesk/contracts/analytics";
import { type SelectQueryBuilder, sql } from "kysely";
import type { DB } from "../../db/schema";
import { zonedInstant } from "../sla/business-calendar";

/** The instants a day range covers in a zone: [first day 00:00, day after the last 00:00). */
export function rangeInstants(from: string, to: string, timeZone: string) {
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
  return { start: new Date(zonedInstant(fy, fm, fd, 0, timeZone)), end: new Date(zonedInstant(ty, tm, td + 1, 0, timeZone)) };
}

type Slices = Pick<AnalyticsFilters, "departmentId" | "categoryId" | "channel">;

/** The department / category / channel slices, on a table that has those columns (0 = none set). */
export function whereSlices<T extends "analytics_daily" | "analytics_ticket_facts", O>(
  q: SelectQueryBuilder<DB, T, O>,
  f: Slices,
): SelectQueryBuilder<DB, T, O> {
  let out = q;
  if (f.departmentId !== undefined) out = out.where(sql<boolean>`department_id = ${f.departmentId}`);
  if (f.categoryId !== undefined) out = out.where(sql<boolean>`category_id = ${f.categoryId}`);
  if (f.channel !== undefined) out = out.where(sql<boolean>`channel = ${f.channel}`);
  return out;
}

/** The same slices as a SQL condition, for hand-written report queries. */
export function slicesSql(f: Slices) {
  const parts = [sql`true`];
  if (f.departmentId !== undefined) parts.push(sql`department_id = ${f.departmentId}`);
  if (f.categoryId !== undefined) parts.push(sql`category_id = ${f.categoryId}`);
  if (f.channel !== undefined) parts.push(sql`channel = ${f.channel}`);
  return sql.join(parts, sql` and `);
}

export const ratio = (count: number, of: number) => ({ count, of, rate: of > 0 ? count / of : null });
export const mean = (sum: number, count: number) => (count > 0 ? sum / count : null);
