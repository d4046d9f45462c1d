import type { AgentState, Presence, Shift, ShiftException, updateAgentStateBody } from "@loopdesk/contracts/routing";
import { sql } from "kysely";
import type { z } from "zod";
import { prepared } from "../../db/prepared-statements";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { automaticPresenceModes, teamIdsByStaff } from "../directory/team-service";
import { listStaff } from "../staff/staff-service";
import { isOnShift } from "./shifts";

/**
 * Makes sure each staff member has a state row (offline, capacity 10, no shifts: always on shift).
 * Nobody chose that offline ("auto"): a team that comes online by the roster or at sign-in may change it.
 */
export async function ensureAgentStates(db: Executor, staffIds: number[]) {
  if (staffIds.length === 0) return;
  await db
    .insertInto("agent_states")
    .values(
      staffIds.map((staff_id) => ({ staff_id, channel_capacity: "{}", shifts: "[]", shift_exceptions: "[]", presence_source: "auto" })),
    )
    .onConflict((oc) => oc.column("staff_id").doNothing())
    .execute();
}

/** Sets presence; returns the previous one (so a caller can react to going offline or online). */
export async function setPresence(db: Executor, staffId: number, presence: Presence, source: "user" | "inactivity" | "system" | "auto") {
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
 * someone who chose away or offline stays so. A member of a team that comes online at sign-in (or
 * by the roster) who opens the app during their shift goes online, unless they chose otherwise
 * during this shift.
 */
export async function heartbeat(db: Executor, staffId: number, timeZone: string, now = new Date()) {
  await ensureAgentStates(db, [staffId]);
  const row = await db
    .updateTable("agent_states")
    .set({ last_seen_at: sql`now()` })
    .where("staff_id", "=", staffId)
    .returning(["presence", "presence_source", "shifts", "shift_exceptions"])
    .executeTakeFirstOrThrow();
  if (row.presence === "away" && row.presence_source === "inactivity") {
    await setPresence(db, staffId, "online", "inactivity");
    return { presence: "online" as const, cameOnline: true };
  }
  if (row.presence !== "online" && row.presence_source !== "user" && isOnShift(row.shifts, row.shift_exceptions, now, timeZone)) {
    const mode = (await automaticPresenceModes(db, [staffId])).get(staffId);
    if (mode) {
      await setPresence(db, staffId, "online", "auto");
      return { presence: "online" as const, cameOnline: true };
    }
  }
  return { presence: row.presence, cameOnline: false };
}

/**
 * Presence by the roster, for members of teams that do not go online by hand: at the end of a
 * shift everyone goes offline (and a choice they made during it expires); during a shift, members
 * of a roster team ("shift") are online unless they chose otherwise. Returns the staff who came online.
 */
export async function applyRosterPresence(db: Executor, timeZone: string, now = new Date()) {
  const modes = await automaticPresenceModes(db);
  if (modes.size === 0) return { cameOnline: [] as number[], rostered: [] as number[] };
  const ids = [...modes.keys()];
  await ensureAgentStates(db, ids);
  const states = await db
    .selectFrom("agent_states")
    .select(["staff_id", "presence", "presence_source", "shifts", "shift_exceptions"])
    .where("staff_id", "in", ids)
    .execute();
  const offShift: number[] = [];
  const online: number[] = [];
  for (const s of states) {
    const on = isOnShift(s.shifts, s.shift_exceptions, now, timeZone);
    if (!on && (s.presence !== "offline" || s.presence_source !== "auto")) offShift.push(s.staff_id);
    else if (on && modes.get(s.staff_id) === "shift" && s.presence !== "online" && s.presence_source !== "user") online.push(s.staff_id);
  }
  const set = (staffIds: number[], presence: Presence) =>
    staffIds.length
      ? db
          .updateTable("agent_states")
          .set({ presence, presence_source: "auto", presence_changed_at: now, updated_at: now })
          .where("staff_id", "in", staffIds)
          .execute()
      : undefined;
  await set(offShift, "offline");
  await set(online, "online");
  return { cameOnline: online, rostered: [...modes].filter(([, m]) => m === "shift").map(([id]) => id) };
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

export type AgentLoad = { total: number; byChannel: Record<string, number>; byCategory: Map<number, number> };

/** Open (unsolved) tickets of an agent, from the counters the tickets trigger keeps on their row. */
const loadOf = (r: {
  open_count: number;
  open_by_channel: Record<string, number>;
  open_by_category: Record<string, number>;
}): AgentLoad => ({
  total: r.open_count,
  byChannel: r.open_by_channel,
  byCategory: new Map(Object.entries(r.open_by_category).map(([category, n]) => [Number(category), n])),
});

/**
 * What a decision needs of these agents, one row each by primary key: presence, shifts, capacity,
 * open-ticket counts and last assignment (as epoch milliseconds: no date parsing), with the row's
 * version. `known[i]` is the version the caller holds for `staffIds[i]` (null: none): only rows
 * whose version differs are returned, so a caller that keeps the rows it read parses just the
 * agents that changed since.
 */
export async function agentStatesChanged(db: Executor, staffIds: number[], known: (string | null)[]) {
  if (staffIds.length === 0) return [];
  // Arrays as parameters, not lists of hundreds: the same statement text whatever the team size, cheap to compile and plan.
  const { rows } = await sql<{
    staff_id: number;
    presence: "online" | "away" | "offline";
    capacity: number;
    channel_capacity: Record<string, number>;
    shifts: Shift[];
    shift_exceptions: ShiftException[];
    open_count: number;
    open_by_channel: Record<string, number>;
    open_by_category: Record<string, number>;
    last_assigned_ms: number | null;
    version: string;
  }>`${prepared}
    select st.staff_id, st.presence, st.capacity, st.channel_capacity, st.shifts, st.shift_exceptions,
           st.open_count, st.open_by_channel, st.open_by_category,
           (extract(epoch from st.last_assigned_at) * 1000)::float8 as last_assigned_ms, st.version::text as version
    from unnest(${staffIds}::int[], ${known}::bigint[]) as k(id, v)
    join agent_states st on st.staff_id = k.id
    where st.version is distinct from k.v`.execute(db);
  return rows.map((r) => ({
    staffId: r.staff_id,
    version: r.version,
    presence: r.presence,
    capacity: r.capacity,
    channelCapacity: r.channel_capacity,
    shifts: r.shifts,
    shiftExceptions: r.shift_exceptions,
    lastAssignedAt: r.last_assigned_ms === null ? null : new Date(r.last_assigned_ms),
    load: loadOf(r),
  }));
}

/** Every active staff member's routing state, for the console and the routing board. */
export async function listAgentStates(db: Executor, timeZone: string, now = new Date()): Promise<AgentState[]> {
  const staff = (await listStaff(db)).filter((s) => s.active);
  const ids = staff.map((s) => s.id);
  await ensureAgentStates(db, ids);
  const [states, teams, modes] = await Promise.all([
    ids.length ? db.selectFrom("agent_states").selectAll().where("staff_id", "in", ids).execute() : [],
    teamIdsByStaff(db, ids),
    automaticPresenceModes(db, ids),
  ]);
  const byId = new Map(states.map((s) => [s.staff_id, s]));
  return staff.flatMap((s) => {
    const st = byId.get(s.id);
    if (!st) return [];
    const load = loadOf(st);
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
        presenceMode: modes.get(s.id) ?? "manual",
        load: load.total,
        loadByChannel: Object.fromEntries(Object.entries(load.byChannel).filter(([, n]) => n !== 0)),
        teamIds: teams.get(s.id) ?? [],
      },
    ];
  });
}
