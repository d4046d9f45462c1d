import type { Conditions, RuleAction } from "@loopdesk/contracts/rules";
import { ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { getCategory } from "../directory/category-service";
import { departmentExists } from "../directory/department-service";
import { staffExists } from "../staff/staff-service";
import { webhookExists } from "../webhooks/webhook-service";

type Issue = { path: string; code: string; message: string };

/**
 * Refuses a rule that points at something that does not exist (a department, agent, category or
 * webhook), naming the action or condition. At run time a reference deleted later is skipped and
 * the reason recorded on the ticket.
 */
export async function checkRuleReferences(db: Executor, rule: { actions?: RuleAction[]; conditions?: Conditions }) {
  const issues: Issue[] = [];
  const missing = (path: string, message: string) => issues.push({ path, code: "unknown_reference", message });
  for (const [i, a] of (rule.actions ?? []).entries()) {
    const path = `actions.${i}`;
    if (a.type === "set_department" && a.value !== null && !(await departmentExists(db, a.value)))
      missing(`${path}.value`, "Unknown department.");
    if (a.type === "set_assignee" && a.value !== null && !(await staffExists(db, a.value)))
      missing(`${path}.value`, "Unknown staff member.");
    if (a.type === "set_category" && a.value !== null && !(await getCategory(db, a.value))?.active)
      missing(`${path}.value`, "Unknown category.");
    if (a.type === "create_visit" && a.departmentId !== null && !(await departmentExists(db, a.departmentId)))
      missing(`${path}.departmentId`, "Unknown department.");
    if (a.type === "call_webhook" && !(await webhookExists(db, a.webhookId))) missing(`${path}.webhookId`, "Unknown webhook.");
    if (a.type === "notify_staff")
      for (const [j, to] of a.to.entries())
        if (typeof to === "number" && !(await staffExists(db, to))) missing(`${path}.to.${j}`, "Unknown staff member.");
  }
  for (const group of ["all", "any"] as const)
    for (const [i, c] of (rule.conditions?.[group] ?? []).entries()) {
      const needsValue = !["is_empty", "is_not_empty", "changed"].includes(c.op);
      if (needsValue && c.value === undefined)
        issues.push({ path: `conditions.${group}.${i}.value`, code: "required", message: "This condition needs a value." });
      if (["in", "not_in"].includes(c.op) && !Array.isArray(c.value))
        issues.push({ path: `conditions.${group}.${i}.value`, code: "invalid", message: "Give a list of values." });
    }
  if (issues.length) throw ValidationError(issues);
}
