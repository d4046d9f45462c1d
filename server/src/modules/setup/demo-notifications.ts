import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { supervisorIdsFor } from "../staff/staff-service";

type Planned = { staff_id: number; type: string; ticket_id: number; data: string; created_at: Date; read_at: Date | null };

/**
 * How far back the bell reaches (urges and misses: the week), and how much of it each person has
 * already read. Three days: an agent off on Sunday, seen before Monday's shift, still finds Saturday's.
 */
const WINDOW_HOURS = 72;
const ESCALATION_WINDOW_HOURS = 7 * 24;
const READ_BEFORE_HOURS = 6;
const PER_PERSON = 15;

/**
 * The bell as the last days left it: each agent told of the tickets given to them and of their
 * customers' replies (the last three days), each agent and the department's supervisors of
 * the week's urges and SLA misses — the older ones read, the last hours' unread. (Live notifications only follow live
 * events, so a freshly seeded demo would otherwise show an empty bell to everyone.)
 */
export async function seedDemoNotifications(db: Transaction<DB>, now: Date) {
  const since = new Date(now.getTime() - WINDOW_HOURS * 3_600_000);
  const weekAgo = new Date(now.getTime() - ESCALATION_WINDOW_HOURS * 3_600_000);
  const events = await db
    .selectFrom("ticket_events as e")
    .innerJoin("tickets as t", "t.id", "e.ticket_id")
    .innerJoin("customers as c", "c.id", "t.customer_id")
    .select(["e.ticket_id", "e.type", "e.field", "e.after", "e.data", "e.created_at", "t.assignee_id", "t.department_id", "c.name"])
    .where((eb) =>
      eb.or([
        eb.and([eb("e.type", "=", "assigned"), eb("e.created_at", ">=", since)]),
        eb.and([eb("e.type", "in", ["urged", "sla_breached"]), eb("e.created_at", ">=", weekAgo)]),
      ]),
    )
    .orderBy("e.id")
    .execute();
  const replies = await db
    .selectFrom("ticket_messages as m")
    .innerJoin("tickets as t", "t.id", "m.ticket_id")
    .select(["m.ticket_id", "m.created_at", "t.assignee_id"])
    .where("m.author_type", "=", "customer")
    .where("m.created_at", ">=", since)
    .where("t.assignee_id", "is not", null)
    .execute();

  const supervisors = new Map<number | null, number[]>();
  const supervisorsOf = async (departmentId: number | null) => {
    if (!supervisors.has(departmentId)) supervisors.set(departmentId, await supervisorIdsFor(db, departmentId));
    return supervisors.get(departmentId) ?? [];
  };
  const planned: Planned[] = [];
  const add = (staffIds: number[], type: string, ticketId: number, at: Date, data: Record<string, unknown> = {}) => {
    const read = now.getTime() - at.getTime() > READ_BEFORE_HOURS * 3_600_000 ? new Date(at.getTime() + 20 * 60_000) : null;
    for (const staffId of new Set(staffIds))
      planned.push({ staff_id: staffId, type, ticket_id: ticketId, data: JSON.stringify(data), created_at: at, read_at: read });
  };
  for (const e of events) {
    const holder = e.assignee_id === null ? [] : [e.assignee_id];
    if (e.type === "assigned" && e.after === e.assignee_id) add(holder, "assigned", e.ticket_id, e.created_at);
    if (e.type === "urged") {
      const note = (e.data as { note?: string | null } | null)?.note ?? null;
      const data = { byName: e.name, byKind: "customer", urgeCount: e.after, note };
      add([...holder, ...(await supervisorsOf(e.department_id))], "urged", e.ticket_id, e.created_at, data);
    }
    if (e.type === "sla_breached")
      add([...holder, ...(await supervisorsOf(e.department_id))], "sla_breached", e.ticket_id, e.created_at, { target: e.field });
  }
  for (const m of replies) add([m.assignee_id as number], "customer_replied", m.ticket_id, m.created_at);

  // Each person's latest few, in the order they arrived.
  const byPerson = new Map<number, Planned[]>();
  for (const p of planned) {
    const list = byPerson.get(p.staff_id) ?? [];
    list.push(p);
    byPerson.set(p.staff_id, list);
  }
  const rows = [...byPerson.values()]
    .flatMap((list) => list.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).slice(-PER_PERSON))
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  if (rows.length) await db.insertInto("notifications").values(rows).execute();
}
