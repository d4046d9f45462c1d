import { type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { Executor } from "../../platform/jobs/job-queue";
import { slaContextOf } from "../sla/ticket-sla-calendars";
import { repeatTicketIds, ticketHistories } from "../tickets/ticket-events";
import { ARRAY_MEASURES, COUNT_MEASURES, type Delta, addDelta, denseArray, isZeroDelta } from "./measures";
import { type AgentKey, type Contributions, type DailyKey, type StageKey, computeTicketFacts } from "./ticket-facts";

/** A ticket counts as a repeat when its customer opened one of the same category this many days before. */
export const REPEAT_WINDOW_DAYS = 7;
export const REFRESH_BATCH = 500;

/**
 * Recomputes the facts of up to `limit` dirty tickets from their events and moves the rollups by
 * the difference between what each ticket now adds and what it added before. Returns how many
 * tickets it took. Safe with several workers: each takes different dirty rows (SKIP LOCKED), a
 * ticket marked dirty again meanwhile waits for this transaction and is taken next time.
 */
export async function refreshDirtyTickets(trx: Transaction<DB>, timeZone: string, limit = REFRESH_BATCH): Promise<number> {
  const { rows } = await sql<{ ticket_id: number }>`
    delete from analytics_dirty where ticket_id in (
      select ticket_id from analytics_dirty order by ticket_id limit ${limit} for update skip locked)
    returning ticket_id`.execute(trx);
  const ids = rows.map((r) => r.ticket_id).sort((a, b) => a - b);
  if (ids.length === 0) return 0;
  await recomputeFacts(trx, ids, timeZone);
  return ids.length;
}

async function recomputeFacts(trx: Transaction<DB>, ids: number[], timeZone: string) {
  const [histories, previous, repeats] = await Promise.all([
    ticketHistories(trx, ids),
    trx.selectFrom("analytics_ticket_facts").select(["ticket_id", "contributions"]).where("ticket_id", "in", ids).forUpdate().execute(),
    repeatTicketIds(trx, ids, REPEAT_WINDOW_DAYS),
  ]);
  const sla = await slaContextOf(
    trx,
    histories.map((h) => ({ id: h.ticket.id, slaPolicyId: h.ticket.sla_policy_id })),
  );
  const daily = new Map<string, [DailyKey, Delta]>();
  const agent = new Map<string, [AgentKey, Delta]>();
  const stage = new Map<string, [StageKey, { tickets: number; seconds: number }]>();
  const apply = (c: Contributions, sign: number) => {
    for (const [k, d] of c.stage ?? []) {
      const key = `${k.day}|${k.departmentId}`;
      const entry = stage.get(key) ?? [k, { tickets: 0, seconds: 0 }];
      entry[1].tickets += sign * d.tickets;
      entry[1].seconds += sign * d.seconds;
      stage.set(key, entry);
    }
    for (const [k, d] of c.daily) {
      const key = `${k.day}|${k.departmentId}|${k.categoryId}|${k.channel}|${k.teamId}`;
      const entry = daily.get(key) ?? [k, {}];
      addDelta(entry[1], d, sign);
      daily.set(key, entry);
    }
    for (const [k, d] of c.agent) {
      const key = `${k.day}|${k.agentId}`;
      const entry = agent.get(key) ?? [k, {}];
      addDelta(entry[1], d, sign);
      agent.set(key, entry);
    }
  };
  for (const p of previous) apply(p.contributions as Contributions, -1);

  const facts = histories.map(({ ticket, events }) => {
    const f = computeTicketFacts({
      ticket: {
        departmentId: ticket.department_id,
        categoryId: ticket.category_id,
        channel: ticket.channel,
        teamId: ticket.team_id,
        assigneeId: ticket.assignee_id,
      },
      events,
      calendar: sla.calendars.get(ticket.id) ?? null,
      slaTargets: sla.targets.get(ticket.id) ?? new Set(),
      isRepeat: repeats.has(ticket.id),
      timeZone,
    });
    apply(f.contributions, 1);
    return {
      ticket_id: ticket.id,
      created_at: f.createdAt,
      department_id: f.departmentId,
      category_id: f.categoryId,
      channel: f.channel,
      team_id: f.teamId,
      stages: f.stages,
      assignee_id: f.assigneeId,
      first_response_at: f.firstResponseAt,
      responder_id: f.responderId,
      frt_s: f.frtSeconds,
      frt_bus_s: f.frtBusinessSeconds,
      resolved_at: f.resolvedAt,
      res_s: f.resolutionSeconds,
      res_bus_s: f.resolutionBusinessSeconds,
      unresolved: f.unresolved,
      reopens: f.reopens,
      transfers: f.transfers,
      public_replies: f.publicReplies,
      fcr: f.fcr,
      is_repeat: f.isRepeat,
      fr_breached: f.firstResponseBreached,
      res_breached: f.resolutionBreached,
      fr_breached_at: f.firstResponseBreachedAt,
      res_breached_at: f.resolutionBreachedAt,
      csat: f.csat,
      csat_at: f.csatAt,
      contributions: JSON.stringify(f.contributions),
      computed_at: new Date(),
    };
  });
  if (facts.length)
    await trx
      .insertInto("analytics_ticket_facts")
      .values(facts)
      .onConflict((oc) =>
        oc.column("ticket_id").doUpdateSet((eb) => {
          const { ticket_id: _id, ...rest } = facts[0] as (typeof facts)[number];
          return Object.fromEntries(Object.keys(rest).map((c) => [c, eb.ref(`excluded.${c}` as "excluded.channel")]));
        }),
      )
      .execute();
  // A ticket that no longer exists keeps nothing in the rollups.
  const found = new Set(histories.map((h) => h.ticket.id));
  const gone = ids.filter((id) => !found.has(id));
  if (gone.length) await trx.deleteFrom("analytics_ticket_facts").where("ticket_id", "in", gone).execute();

  await upsertRollup(
    trx,
    "analytics_daily",
    ["day", "department_id", "category_id", "channel", "team_id"],
    [...daily.values()].map(([k, d]) => [
      { day: k.day, department_id: k.departmentId, category_id: k.categoryId, channel: k.channel, team_id: k.teamId },
      d,
    ]),
  );
  const totals = new Map<string, Delta>();
  const slices = new Map<string, [{ day: string; dimension: string; value: string }, Delta]>();
  for (const [k, d] of daily.values()) {
    totals.set(k.day, addDelta(totals.get(k.day) ?? {}, d));
    for (const [dimension, value] of [
      ["department", String(k.departmentId)],
      ["category", String(k.categoryId)],
      ["channel", k.channel],
      ["team", String(k.teamId)],
    ] as const) {
      const key = `${dimension}|${value}|${k.day}`;
      const entry = slices.get(key) ?? [{ day: k.day, dimension, value }, {}];
      addDelta(entry[1], d);
      slices.set(key, entry);
    }
  }
  await upsertRollup(
    trx,
    "analytics_daily_totals",
    ["day"],
    [...totals.entries()].map(([day, d]) => [{ day }, d]),
  );
  await upsertRollup(trx, "analytics_daily_slices", ["dimension", "value", "day"], [...slices.values()]);
  await upsertRollup(
    trx,
    "analytics_agent_daily",
    ["day", "agent_id"],
    [...agent.values()].map(([k, d]) => [{ day: k.day, agent_id: k.agentId }, d]),
  );
  await upsertStages(trx, [...stage.values()]);
}

/** Adds the stage deltas (in key order, as upsertRollup does). */
async function upsertStages(db: Executor, rows: [StageKey, { tickets: number; seconds: number }][]) {
  const changed = rows
    .filter(([, d]) => d.tickets !== 0 || d.seconds !== 0)
    .map(([k, d]) => ({ day: k.day, department_id: k.departmentId, ...d }))
    .sort((a, b) => (a.day === b.day ? a.department_id - b.department_id : a.day < b.day ? -1 : 1));
  if (changed.length === 0) return;
  await sql`
    insert into analytics_stage_daily (day, department_id, tickets, seconds)
    select day, department_id, tickets, seconds
    from jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) as r(day date, department_id int, tickets int, seconds bigint)
    on conflict (day, department_id) do update
      set tickets = analytics_stage_daily.tickets + excluded.tickets,
          seconds = analytics_stage_daily.seconds + excluded.seconds`.execute(db);
}

const KEY_TYPES: Record<string, string> = {
  day: "date",
  department_id: "int",
  category_id: "int",
  channel: "text",
  team_id: "int",
  agent_id: "int",
  dimension: "text",
  value: "text",
};

/** Adds the deltas into the rollup rows (inserting missing rows), in key order so concurrent refreshes cannot deadlock. */
async function upsertRollup(
  db: Executor,
  table: "analytics_daily" | "analytics_daily_totals" | "analytics_daily_slices" | "analytics_agent_daily",
  keys: string[],
  rows: [Record<string, unknown>, Delta][],
) {
  const changed = rows.filter(([, d]) => !isZeroDelta(d));
  if (changed.length === 0) return;
  changed.sort(([a], [b]) => {
    for (const k of keys) {
      const x = a[k] as string | number;
      const y = b[k] as string | number;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  const records = changed.map(([key, d]) => ({
    ...key,
    ...Object.fromEntries(COUNT_MEASURES.map((m) => [m, d[m] ?? 0])),
    ...Object.fromEntries(ARRAY_MEASURES.map((m) => [m, denseArray(d[m])])),
  }));
  const columns = [...keys, ...COUNT_MEASURES, ...ARRAY_MEASURES];
  const types = [
    ...keys.map((k) => `${k} ${KEY_TYPES[k]}`),
    ...COUNT_MEASURES.map((m) => `${m} bigint`),
    ...ARRAY_MEASURES.map((m) => `${m} integer[]`),
  ];
  const updates = [
    ...COUNT_MEASURES.map((m) => `${m} = ${table}.${m} + excluded.${m}`),
    ...ARRAY_MEASURES.map((m) => `${m} = analytics_add(${table}.${m}, excluded.${m})`),
  ];
  await sql`
    insert into ${sql.table(table)} (${sql.raw(columns.join(", "))})
    select ${sql.raw(columns.join(", "))} from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(${sql.raw(types.join(", "))})
    on conflict (${sql.raw(keys.join(", "))}) do update set ${sql.raw(updates.join(", "))}`.execute(db);
}
