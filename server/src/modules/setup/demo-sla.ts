import type { Insertable } from "kysely";
import type { TicketSlaTable } from "../../db/schema-sla";
import type { Calendar } from "../sla/business-calendar";
import { computeClocks } from "../sla/sla-clock";
import type { DemoEvent, PlannedTicket } from "./demo-world";

export type DemoPolicy = {
  id: number;
  tiers?: string[];
  priorities?: string[];
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  warnPercent: number;
  warnMinutesBefore: number;
  escalation: { afterMinutes: number; action: string }[];
};

const json = (v: unknown) => JSON.stringify(v);

/**
 * A planned ticket's SLA history, as the product would have recorded it while it happened: the
 * clocks of the policy that applies (the same clock code the product runs), each missed target
 * as an `sla_breached` event at its due time, the escalation steps that ran after it, and the
 * clock rows — with the warnings and escalations already given marked as given, so the first
 * sweep after seeding does not announce the past again.
 */
export function slaHistory(plan: PlannedTicket, policies: DemoPolicy[], calendar: Calendar, now: Date) {
  const t = plan.ticket;
  const policy = policies.find(
    (p) => (!p.tiers || p.tiers.includes(plan.tier)) && (!p.priorities || p.priorities.includes(String(t.priority))),
  );
  if (!policy) return { policyId: null, rows: [] as Omit<Insertable<TicketSlaTable>, "ticket_id">[], events: [] as DemoEvent[] };
  const clocks = computeClocks(
    {
      createdAt: plan.createdAt,
      statuses: plan.statuses,
      publicMessages: plan.publicMessages,
      firstResponseAt: (t.first_response_at as Date | null) ?? null,
    },
    {
      firstResponseMinutes: policy.firstResponseMinutes,
      nextResponseMinutes: policy.nextResponseMinutes,
      resolutionMinutes: policy.resolutionMinutes,
      calendar,
      pauseOnPending: true,
      pauseOnHold: true,
      warnPercent: policy.warnPercent,
      warnMinutesBefore: policy.warnMinutesBefore,
    },
    now,
  );
  const events: DemoEvent[] = [];
  const rows = clocks.map((c) => {
    const missed = c.status === "missed" || (c.status === "active" && c.dueAt !== null && c.dueAt <= now);
    const breachedAt = missed && c.dueAt ? c.dueAt : null;
    let step = 0;
    if (breachedAt) {
      events.push({
        type: "sla_breached",
        actor_type: "system",
        actor_id: null,
        field: c.target,
        before: null,
        after: null,
        data: json({ dueAt: breachedAt.toISOString(), cycleStart: c.cycleStart.toISOString(), policyId: policy.id }),
        created_at: breachedAt,
      });
      // The escalation steps that came due while the clock still ran.
      const stoppedAt = c.completedAt ?? now;
      for (const s of policy.escalation) {
        const at = new Date(breachedAt.getTime() + s.afterMinutes * 60_000);
        if (at > stoppedAt || at > now) break;
        step++;
        events.push({
          type: "escalated",
          actor_type: "system",
          actor_id: null,
          field: c.target,
          before: null,
          after: null,
          data: json({ step, action: s.action, afterMinutes: s.afterMinutes }),
          created_at: at,
        });
      }
    }
    const next = c.status === "active" && breachedAt ? policy.escalation[step] : undefined;
    return {
      target: c.target,
      policy_id: policy.id,
      cycle_start: c.cycleStart,
      due_at: c.dueAt,
      status: c.status,
      completed_at: c.completedAt,
      breached_at: breachedAt,
      warn_at: null,
      // What was due to be said has been said.
      warned: c.warnings.filter((w) => w.at <= now).map((w) => w.key),
      escalation_step: step,
      escalate_at: next && breachedAt ? new Date(breachedAt.getTime() + next.afterMinutes * 60_000) : null,
    };
  });
  return { policyId: policy.id, rows, events };
}
