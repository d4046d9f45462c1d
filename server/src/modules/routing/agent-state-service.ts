import type { AgentState, Presence, Shift, ShiftException, updateAgentStateBody } from "@loopdesk/contracts/routing";
import { sql } from "kysely";
import type { z } from "zod";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { teamIdsByStaff } from "../directory/team-service";
import { listStaff } from "../staff/staff-service";
import { isOnShift } from "./shifts";

/** Makes sure each staff member has a state row (offline, capacity 10, no shifts: always on shift). */
export async function ensureAgentStates(db: Executor, staffIds: number[]) {
  if (staffIds.length === 0) return;
  await db
    .insertInto("agent_states")
    .values(staffIds.map((staff_id) => ({ staff_id, channel_capacity: "{}", shifts: "[]", shift_exceptions: "[]" })))
    .onConflict((oc) => oc.column("staff_id").doNothing())
    .execute();
}

/** Sets presence; returns the previous one (so a caller can react to going offline or online). */
export async function setPresence(db: Executor, staffId: number, presence: Presence, source: "user" | "inactivity" | "system") {
  await ensureAgentStates(db, [staffId]);
  const before = await db
    .selectFrom("agent_states")
    .select("presence")
    .where("staff_id", "=", staffId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (before.presence !== presence)
    await db
      .updateTable("agent_states")
      .set({
        presence,
        presence_source: source,
        presence_changed_at: sql`now()`,
        updated_at: sql`now()`,
        ...(source === "user" ? { last_seen_at: sql`now()` } : {}),
      })
      .where("staff_id", "=", staffId)
      .execute();
  return before.presence;
}

/**
 * The browser reports that its user is active. Someone set away by inactivity comes back online;
 * someone who chose away or offline stays so.
 */
export async function heartbeat(db: Executor, staffId: number) {
  await ensureAgentStates(db, [staffId]);
  const row = await db
    .updateTable("agent_states")
    .set({ last_seen_at: sql`now()` })
    .where("staff_id", "=", staffId)
    .returning(["presence", "presence_source"])
    .executeTakeFirstOrThrow();
  if (row.presence === "away" && row.presence_source === "inactivity") {
    await setPresence(db, staffId, "online", "inactivity");
    return "online" as const;
  }
  return row.presence;
}

export async function updateAgentState(db: Executor, staffId: number, input: z.output<typeof updateAgentStateBody>) {
  const staff = await db.selectFrom("staff").select("id").where("id", "=", staffId).executeTakeFirst();
  if (!staff) throw NotFoundError("Staff member");
  await ensureAgentStates(db, [staffId]);
  await db
    .updateTable("agent_states")
    .set({
      ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
      ...(input.channelCapacity !== undefined ? { channel_capacity: JSON.stringify(input.channelCapacity) } : {}),
      ...(input.shifts !== undefined ? { shifts: JSON.stringify(input.shifts) } : {}),
      ...(input.shiftExceptions !== undefined ? { shift_exceptions: JSON.stringify(input.shiftExceptions) } : {}),
      updated_at: sql`now()`,
    })
    .where("staff_id", "=", staffId)
    .execute();
}

/** Open (unsolved) tickets per agent: in total, per channel and per category (0: none). */
export async function openLoads(db: Executor, staffIds: number[]) {
  const loads = new Map<number, { total: number; byChannel: Record<string, number>; byCategory: Map<number, number> }>();
  if (staffIds.length === 0) return loads;
  const rows = await db
    .selectFrom("agent_open_tickets")
    .selectAll()
    .where("staff_id", "in", staffIds)
    .where("open_count", "<>", 0)
    .execute();
  for (const r of rows) {
    const l = loads.get(r.staff_id) ?? { total: 0, byChannel: {}, byCategory: new Map<number, number>() };
    l.total += r.open_count;
    l.byChannel[r.channel] = (l.byChannel[r.channel] ?? 0) + r.open_count;
    l.byCategory.set(r.category_id, (l.byCategory.get(r.category_id) ?? 0) + r.open_count);
    loads.set(r.staff_id, l);
  }
  return loads;
}

type Load = { total: number; byChannel: Record<string, number>; byCategory: Map<number, number> };

/** These agents' state rows with their open-ticket counts, in one round trip (what a decision reads). */
export async function agentStatesWithLoads(db: Executor, staffIds: number[]) {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom("agent_states as st")
    .selectAll("st")
    .select(
      sql<[number, string, number][]>`coalesce((select jsonb_agg(jsonb_build_array(o.category_id, o.channel, o.open_count))
        from agent_open_tickets o where o.staff_id = st.staff_id and o.open_count <> 0), '[]'::jsonb)`.as("loads"),
    )
    .where("st.staff_id", "in", staffIds)
    .execute();
  return rows.map(({ loads, ...state }) => {
    const load: Load = { total: 0, byChannel: {}, byCategory: new Map() };
    for (const [category, channel, n] of loads) {
      load.total += n;
      load.byChannel[channel] = (load.byChannel[channel] ?? 0) + n;
      load.byCategory.set(category, (load.byCategory.get(category) ?? 0) + n);
    }
    return { state, load };
  });
}

/** Every active staff member's routing state, for the console and the routing board. */
export async function listAgentStates(db: Executor, timeZone: string, now = new Date()): Promise<AgentState[]> {
  const staff = (await listStaff(db)).filter((s) => s.active);
  const ids = staff.map((s) => s.id);
  await ensureAgentStates(db, ids);
  const [states, loads, teams] = await Promise.all([
    ids.length ? db.selectFrom("agent_states").selectAll().where("staff_id", "in", ids).execute() : [],
    openLoads(db, ids),
    teamIdsByStaff(db, ids),
  ]);
  const byId = new Map(states.map((s) => [s.staff_id, s]));
  return staff.flatMap((s) => {
    const st = byId.get(s.id);
    if (!st) return [];
    const load = loads.get(s.id);
    return [
      {
        staffId: s.id,
        name: s.name,
        role: s.role,
        presence: st.presence,
        presenceSource: st.presence_source,
        presenceChangedAt: st.presence_changed_at.toISOString(),
        lastSeenAt: st.last_seen_at?.toISOString() ?? null,
        capacity: st.capacity,
        channelCapacity: st.channel_capacity,
        shifts: st.shifts as Shift[],
        shiftExceptions: st.shift_exceptions as ShiftException[],
        onShift: isOnShift(st.shifts, st.shift_exceptions, now, timeZone),
        load: load?.total ?? 0,
        loadByChannel: load?.byChannel ?? {},
        teamIds: teams.get(s.id) ?? [],
      },
    ];
  });
}
