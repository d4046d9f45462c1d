import { type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { SlaTarget } from "../../db/schema-sla";
import { customerTiers } from "../customers/customer-service";
import type { AppContext } from "../../platform/context";
import { emitTicketEvent } from "../tickets/emit-ticket-event";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";
import { clearTicketSlaDue, setTicketSlaDue, ticketSlaFacts } from "../tickets/ticket-sla-facts";
import { calendarsById } from "./calendar-service";
import { listPolicies, policyMatches } from "./policy-service";
import { type Clock, computeClocks } from "./sla-clock";

const LOCK_SPACE = 7301;

/** One SLA computation or escalation per ticket at a time, across processes (until the transaction ends). */
export async function lockTicketSla(trx: Transaction<DB>, ids: number[]) {
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, ${id})`.execute(trx);
}

/**
 * Recomputes the SLA clocks of tickets from their current state and history: which policy
 * applies, each target's due time and status, the earliest due time on the ticket. A target that
 * is missed (answered late, or running past due) is recorded once as an `sla_breached` event —
 * the breach time on its clock row makes a repeat, or a concurrent run, a no-op.
 */
export async function recomputeTicketSla(ctx: AppContext, trx: Transaction<DB>, ticketIds: number[], now = new Date()) {
  const ids = [...new Set(ticketIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await lockTicketSla(trx, ids);
  const policies = await listPolicies(trx, true);
  if (policies.length === 0) {
    // No SLA in use (the common case for a new installation): only clear what an old policy left.
    await trx.deleteFrom("ticket_sla").where("ticket_id", "in", ids).execute();
    await clearTicketSlaDue(trx, ids);
    return;
  }
  const [facts, existing] = await Promise.all([
    ticketSlaFacts(trx, ids),
    trx.selectFrom("ticket_sla").selectAll().where("ticket_id", "in", ids).execute(),
  ]);
  const tiers = await customerTiers(
    trx,
    facts.map((f) => f.customer_id),
  );
  const calendars = await calendarsById(trx, [...new Set(policies.map((p) => p.calendarId).filter((x): x is number => x !== null))]);

  for (const t of facts) {
    const policy = policies.find((p) =>
      policyMatches(p.conditions, {
        priority: t.priority,
        tier: tiers.get(t.customer_id),
        categoryId: t.category_id,
        channel: t.channel,
        departmentId: t.department_id,
        customFields: t.custom_fields ?? {},
      }),
    );
    const clocks: Clock[] = policy
      ? computeClocks(
          { createdAt: t.created_at, statuses: t.statuses, publicMessages: t.publicMessages, firstResponseAt: t.first_response_at },
          {
            firstResponseMinutes: policy.firstResponseMinutes,
            nextResponseMinutes: policy.nextResponseMinutes,
            resolutionMinutes: policy.resolutionMinutes,
            calendar: policy.businessHours && policy.calendarId ? (calendars.get(policy.calendarId) ?? null) : null,
            pauseOnPending: policy.pauseOnPending,
            pauseOnHold: policy.pauseOnHold,
            warnPercent: policy.warnPercent,
            warnMinutesBefore: policy.warnMinutesBefore,
          },
          now,
        )
      : [];
    const before = new Map(existing.filter((e) => e.ticket_id === t.id).map((e) => [e.target, e]));
    const breaches: { target: SlaTarget; dueAt: Date | null; cycleStart: Date }[] = [];
    const warnings: { target: SlaTarget; level: string; dueAt: Date | null }[] = [];
    for (const c of clocks) {
      const prev = before.get(c.target);
      const sameCycle = prev && prev.cycle_start.getTime() === c.cycleStart.getTime();
      const missed = c.status === "missed" || (c.dueAt !== null && c.dueAt <= now && c.status !== "hit");
      let breachedAt = sameCycle ? prev.breached_at : null;
      if (missed && !breachedAt) {
        breachedAt = now;
        breaches.push({ target: c.target, dueAt: c.dueAt, cycleStart: c.cycleStart });
      }
      // Warnings: each once per cycle; once missed, the ones not given are moot.
      const warnedBefore = sameCycle ? prev.warned : [];
      const give = missed ? [] : c.warnings.filter((w) => w.at <= now && !warnedBefore.includes(w.key));
      for (const w of give) warnings.push({ target: c.target, level: w.key, dueAt: c.dueAt });
      const warned = [...new Set([...warnedBefore, ...give.map((w) => w.key), ...(missed ? c.warnings.map((w) => w.key) : [])])];
      const upcoming = c.warnings.filter((w) => !warned.includes(w.key)).map((w) => w.at.getTime());
      const warnAt = c.status === "active" && upcoming.length ? new Date(Math.min(...upcoming)) : null;
      // Escalation runs while a breached clock is still running; a new cycle starts over.
      const step = sameCycle && breachedAt ? prev.escalation_step : 0;
      const nextStep = policy?.escalation[step];
      const escalateAt =
        c.status === "active" && breachedAt && c.dueAt && nextStep ? new Date(c.dueAt.getTime() + nextStep.afterMinutes * 60_000) : null;
      await trx
        .insertInto("ticket_sla")
        .values({
          ticket_id: t.id,
          target: c.target,
          policy_id: policy?.id ?? null,
          cycle_start: c.cycleStart,
          due_at: c.dueAt,
          status: c.status,
          completed_at: c.completedAt,
          breached_at: breachedAt,
          warn_at: warnAt,
          warned,
          escalation_step: step,
          escalate_at: escalateAt,
        })
        .onConflict((oc) =>
          oc.columns(["ticket_id", "target"]).doUpdateSet((eb) => ({
            policy_id: eb.ref("excluded.policy_id"),
            cycle_start: eb.ref("excluded.cycle_start"),
            due_at: eb.ref("excluded.due_at"),
            status: eb.ref("excluded.status"),
            completed_at: eb.ref("excluded.completed_at"),
            breached_at: eb.ref("excluded.breached_at"),
            warn_at: eb.ref("excluded.warn_at"),
            warned: eb.ref("excluded.warned"),
            escalation_step: eb.ref("excluded.escalation_step"),
            escalate_at: eb.ref("excluded.escalate_at"),
          })),
        )
        .execute();
    }
    const gone = [...before.keys()].filter((target) => !clocks.some((c) => c.target === target));
    if (gone.length) await trx.deleteFrom("ticket_sla").where("ticket_id", "=", t.id).where("target", "in", gone).execute();
    for (const w of warnings)
      await emitTicketEvent(ctx, trx, "ticket.sla_warning", t, { target: w.target, level: w.level, dueAt: w.dueAt?.toISOString() ?? null });
    if (warnings.length)
      await recordTicketEvents(
        trx,
        t.id,
        systemActor,
        warnings.map((w) => ({ type: "sla_warning", field: w.target, data: { level: w.level, dueAt: w.dueAt?.toISOString() ?? null } })),
        now,
      );
    // Announced as a domain event too: the assignee and their supervisors are notified.
    for (const b of breaches)
      await emitTicketEvent(ctx, trx, "ticket.sla_breached", t, {
        target: b.target,
        dueAt: b.dueAt?.toISOString() ?? null,
        // Who hears of it is then up to the policy's escalation steps.
        escalates: (policy?.escalation.length ?? 0) > 0,
      });
    if (breaches.length)
      await recordTicketEvents(
        trx,
        t.id,
        systemActor,
        breaches.map((b) => ({
          type: "sla_breached",
          field: b.target,
          data: { dueAt: b.dueAt?.toISOString() ?? null, cycleStart: b.cycleStart.toISOString(), policyId: policy?.id ?? null },
        })),
        now,
      );
    const due = (target: SlaTarget) => clocks.find((c) => c.target === target && c.status === "active")?.dueAt ?? null;
    const running = clocks.filter((c) => c.status === "active" && c.dueAt).map((c) => (c.dueAt as Date).getTime());
    await setTicketSlaDue(trx, t.id, {
      policyId: policy?.id ?? null,
      firstResponse: due("first_response"),
      nextResponse: due("next_response"),
      resolution: due("resolution"),
      next: running.length ? new Date(Math.min(...running)) : null,
    });
  }
}
