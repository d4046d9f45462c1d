import type { AnalyticsFilters } from "@loopdesk/contracts/analytics";
import { type SqlBool, sql } from "kysely";
import { zonedInstant } from "../sla/business-calendar";

/** The instants a day range covers in a zone: [first day 00:00, day after the last 00:00). */
export function rangeInstants(from: string, to: string, timeZone: string) {
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
  return { start: new Date(zonedInstant(fy, fm, fd, 0, timeZone)), end: new Date(zonedInstant(ty, tm, td + 1, 0, timeZone)) };
}

/**
 * The slices a report is read with: those asked for, and the departments the reader may report on
 * (a supervisor's, with their sub-departments; unset for an administrator).
 */
export type Slices = Pick<AnalyticsFilters, "departmentId" | "categoryId" | "channel" | "teamId"> & { scopeDepartmentIds?: number[] };

/** The department / category / channel / team slices (0 = none set) as a condition on a table with those columns. */
export function slicesSql(f: Slices) {
  const parts = [sql`true`];
  if (f.scopeDepartmentIds !== undefined) parts.push(sql`department_id = any(${f.scopeDepartmentIds}::int[])`);
  if (f.departmentId !== undefined) parts.push(sql`department_id = ${f.departmentId}`);
  if (f.categoryId !== undefined) parts.push(sql`category_id = ${f.categoryId}`);
  if (f.channel !== undefined) parts.push(sql`channel = ${f.channel}`);
  if (f.teamId !== undefined) parts.push(sql`team_id = ${f.teamId}`);
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

export const ratio = (count: number, of: number) => ({ count, of, rate: of > 0 ? count / of : null });
export const mean = (sum: number, count: number) => (count > 0 ? sum / count : null);
