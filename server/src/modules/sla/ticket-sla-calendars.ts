import type { Calendar } from "./business-calendar";
import type { Executor } from "../../platform/jobs/job-queue";
import { calendarsById } from "./calendar-service";

/**
 * For reports: which SLA targets each ticket has (had) a clock for, and the working calendar its
 * business time is measured in — its policy's calendar, else the first calendar defined (the
 * organisation's working hours), else none (business time is then calendar time).
 */
export async function slaContextOf(db: Executor, tickets: { id: number; slaPolicyId: number | null }[]) {
  const ids = tickets.map((t) => t.id);
  const targets = new Map<number, Set<string>>();
  const calendars = new Map<number, Calendar | null>();
  if (ids.length === 0) return { targets, calendars };
  const [clocks, policies, first] = await Promise.all([
    db.selectFrom("ticket_sla").select(["ticket_id", "target"]).where("ticket_id", "in", ids).execute(),
    db.selectFrom("sla_policies").select(["id", "business_hours", "calendar_id"]).execute(),
    db.selectFrom("business_calendars").select("id").orderBy("id").limit(1).executeTakeFirst(),
  ]);
  for (const c of clocks) {
    const set = targets.get(c.ticket_id) ?? new Set<string>();
    set.add(c.target);
    targets.set(c.ticket_id, set);
  }
  const policyCalendar = new Map(policies.map((p) => [p.id, p.business_hours ? p.calendar_id : null]));
  const built = await calendarsById(
    db,
    [...new Set([...policies.map((p) => p.calendar_id), first?.id ?? null])].filter((x) => x !== null),
  );
  const fallback = first ? (built.get(first.id) ?? null) : null;
  for (const t of tickets) {
    const own = t.slaPolicyId !== null ? policyCalendar.get(t.slaPolicyId) : null;
    calendars.set(t.id, own != null ? (built.get(own) ?? fallback) : fallback);
  }
  return { targets, calendars };
}
