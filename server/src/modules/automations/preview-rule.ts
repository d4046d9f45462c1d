import type { PreviewResult, previewRuleBody } from "@loopdesk/contracts/rules";
import type { z } from "zod";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { findTicketByNumber } from "../tickets/ticket-lookup";
import { planActions } from "./plan-actions";
import { evaluateConditions } from "./rule-conditions";
import { ruleFacts } from "./rule-facts";

/**
 * "Test this rule against ticket #N": every condition with the ticket's actual value and whether
 * it passed, and what each action would do — computed by the same code as a real run, but
 * nothing is written. A trigger is tested as if the chosen event had just happened with no field
 * changes (so "changed" conditions do not pass); an automation also checks its time condition.
 */
export async function previewRule(db: Executor, input: z.output<typeof previewRuleBody>, now = new Date()): Promise<PreviewResult> {
  const ticket = await findTicketByNumber(db, input.ticketNumber);
  if (!ticket) throw NotFoundError("Ticket");
  const facts = await ruleFacts(db, ticket, {}, now);
  const { matched, results } = evaluateConditions(input.rule.conditions, facts);
  const extra: PreviewResult["conditions"] = [];
  const { status, hoursInStatus } = input.rule;
  if (status !== undefined)
    extra.push({ group: "time", field: "status", op: "is", expected: status, actual: ticket.status, passed: ticket.status === status });
  if (hoursInStatus !== undefined) {
    const hours = Math.floor((now.getTime() - ticket.status_changed_at.getTime()) / 3_600_000);
    extra.push({ group: "time", field: "hoursInStatus", op: "gt", expected: hoursInStatus, actual: hours, passed: hours >= hoursInStatus });
  }
  if (ticket.status === "closed")
    extra.push({ group: "event", field: "status", op: "is_not", expected: "closed", actual: "closed", passed: false });
  const plan = await planActions(db, ticket, input.rule.actions);
  return { matched: matched && extra.every((c) => c.passed), conditions: [...extra, ...results], effects: plan.effects };
}
