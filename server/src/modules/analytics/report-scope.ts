import type { StaffPrincipal } from "../../platform/auth/principal";
import { ForbiddenError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { withDescendants } from "../directory/department-service";
import { staffOfDepartments } from "../staff/staff-service";

/**
 * What a reader's reports cover: an administrator everything (null); a supervisor the tickets of
 * their departments (and sub-departments) and the people in them. The ticket rules give a
 * supervisor at least read access to all of those, so every ticket a report lists opens.
 */
export type ReportScope = { departmentIds: number[] | null; agentIds: number[] | null };

export async function reportScopeFor(db: Executor, principal: StaffPrincipal): Promise<ReportScope> {
  if (principal.role === "admin") return { departmentIds: null, agentIds: null };
  const departmentIds = await withDescendants(db, principal.departmentIds);
  return { departmentIds, agentIds: await staffOfDepartments(db, departmentIds) };
}

/** The report's filters limited to the scope; a department slice outside it is refused. */
export function scopedFilters<F extends { departmentId?: number }>(f: F, scope: ReportScope): F & { scopeDepartmentIds?: number[] } {
  if (scope.departmentIds === null) return f;
  if (f.departmentId !== undefined && !scope.departmentIds.includes(f.departmentId))
    throw ForbiddenError("That department is outside the reports you may see.");
  return { ...f, scopeDepartmentIds: scope.departmentIds };
}

/** The agents a report may show, of those asked for (all in scope when none were named). */
export function scopedAgents(asked: number[] | undefined, scope: ReportScope): number[] | undefined {
  if (scope.agentIds === null) return asked;
  const allowed = scope.agentIds;
  return asked ? asked.filter((id) => allowed.includes(id)) : allowed;
}

/** Whether the reader may open this agent's numbers: themselves, or anyone in their scope. */
export function assertAgentInScope(principal: StaffPrincipal, agentId: number, scope: ReportScope) {
  if (agentId === principal.id || scope.agentIds === null || scope.agentIds.includes(agentId)) return;
  throw ForbiddenError("That agent is outside the reports you may see.");
}
