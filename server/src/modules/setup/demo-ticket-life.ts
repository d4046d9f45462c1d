import type { Shift } from "@loopdesk/contracts/routing";
import type { TicketEventType } from "@loopdesk/contracts/tickets";
import type { Insertable } from "kysely";
import type { TicketMessagesTable, TicketsTable } from "../../db/schema";
import { isOnShift } from "../routing/shifts";
import * as data from "./demo-data";
import type { Rng } from "./demo-rng";

const MIN = 60_000;
const DAY = 86_400_000;

export type DemoAgent = { id: number; name: string; departmentId: number; shifts: Shift[]; capacity: number; teamIds: number[] };
export type DemoTeamInfo = {
  id: number;
  name: string;
  departmentId: number;
  memberIds: number[];
  fallbackId: number | null;
  strategy: string;
  /** Whether its members are online for their whole shift (the roster), or only once they sign in. */
  rostered: boolean;
};

/** What planning a ticket's life needs to know of the workspace. */
export type DemoWorld = {
  now: Date;
  timeZone: string;
  agents: Map<number, DemoAgent>;
  teams: Map<number, DemoTeamInfo>;
  /** The team that takes each department's tickets, and the VIP desk. */
  departmentTeam: Map<number, number>;
  vipTeamId: number;
  departments: Map<string, number>;
  categories: Map<string, { id: number; departmentId: number; requires: string[] }>;
  /** Open (assigned) tickets per agent over time, to keep loads under capacity. */
  busy: Map<number, { from: number; to: number }[]>;
};

export type DemoCustomer = { id: number; tier: string; org: number | null; name: string; hasOrder: boolean };
type Actor = { type: "staff" | "customer" | "system"; id: number | null };
export type DemoEvent = {
  type: TicketEventType;
  actor_type: Actor["type"];
  actor_id: number | null;
  field: string | null;
  before: string | null;
  after: string | null;
  data: string | null;
  created_at: Date;
};
export type DemoMessage = Omit<Insertable<TicketMessagesTable>, "ticket_id">;
export type DemoDecision = {
  round: number;
  outcome: string;
  team_id: number | null;
  staff_id: number | null;
  strategy: string | null;
  reason: string;
  details: string;
  candidates: string;
  actor_type: string;
  actor_id: number | null;
  created_at: Date;
};

export type PlannedTicket = {
  createdAt: Date;
  ticket: Insertable<TicketsTable>;
  messages: DemoMessage[];
  events: DemoEvent[];
  decisions: DemoDecision[];
  csat: { rating: number; comment: string | null; sentAt: Date; answeredAt: Date } | null;
  /** For the SLA history: the statuses and public messages as the clocks read them. */
  statuses: { at: Date; status: string }[];
  publicMessages: { at: Date; by: "staff" | "customer" }[];
  tier: string;
};

// Arrivals by hour of day (Asia/Shanghai): busy mornings and afternoons, quiet nights.
const HOURLY = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 9, 10, 9, 6, 7, 9, 9, 8, 7, 5, 4, 4, 3, 2, 1.5];

/** Arrival times over the last 90 days, oldest first: more recently (the business grows), by hour of day. */
export function arrivals(r: Rng, now: Date, count: number): number[] {
  const times = Array.from({ length: count }, () => {
    const day = Math.floor(r.next() ** 0.9 * 90);
    const hour = r.weighted(
      HOURLY.map((w, h) => ({ w, h })),
      (x) => x.w,
    ).h;
    const midnight = Math.floor((now.getTime() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 - day * DAY;
    const at = midnight + hour * 3_600_000 + Math.floor(r.next() * 60) * MIN;
    return at > now.getTime() - 5 * MIN ? now.getTime() - Math.floor(r.between(5, 180)) * MIN : at;
  });
  return times.sort((a, b) => a - b);
}
const CHANNELS = ["email", "portal", "widget", "phone", "wecom", "api"] as const;
const CHANNEL_WEIGHT: Record<string, number> = { email: 30, portal: 25, widget: 15, phone: 15, wecom: 10, api: 5 };
/** Share of requests that arrive with every required field, by channel: forms ask, mail and chat do not. */
const COMPLETE_RATE: Record<string, number> = { portal: 0.97, widget: 0.9, api: 0.95, phone: 0.86, email: 0.7, wecom: 0.66 };

/** How far back arrivals count as "now" for who is online. */
const RECENT_MS = 6 * 3_600_000;

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The first moment from `at` when someone of these can work (on shift), looking ahead up to two days. */
function nextOnShift(world: DemoWorld, ids: number[], at: number): { staffId: number; at: number } | null {
  for (let t = at; t < at + 2 * DAY; t += 15 * MIN) {
    const on = ids.filter((id) => {
      const a = world.agents.get(id);
      return a && isOnShift(a.shifts, [], new Date(t), world.timeZone);
    });
    if (on.length) return { staffId: on[0] as number, at: t };
  }
  return null;
}

const loadAt = (world: DemoWorld, staffId: number, at: number) =>
  (world.busy.get(staffId) ?? []).filter((b) => b.from <= at && b.to > at).length;

/** Routing as the product does it: the team's members on shift and under capacity, least loaded first; else the fallback team. */
function route(world: DemoWorld, r: Rng, teamId: number, at: number): { staffId: number; teamId: number; fallback: boolean } | null {
  const seen = new Set<number>();
  for (let id: number | null = teamId, hop = 0; id !== null && !seen.has(id); hop++) {
    seen.add(id);
    const team = world.teams.get(id);
    if (!team) break;
    // In the last hours only a roster team's members are surely online (the others have not signed in on the demo).
    const online = team.rostered || at < world.now.getTime() - RECENT_MS;
    const free = team.memberIds
      .map((m) => world.agents.get(m))
      .filter(
        (a): a is DemoAgent =>
          online && !!a && isOnShift(a.shifts, [], new Date(at), world.timeZone) && loadAt(world, a.id, at) < a.capacity,
      )
      .map((a) => ({ a, load: loadAt(world, a.id, at) / a.capacity + r.next() * 0.05 }))
      .sort((x, y) => x.load - y.load);
    if (free[0]) return { staffId: free[0].a.id, teamId: id, fallback: hop > 0 };
    id = team.fallbackId;
  }
  return null;
}

/**
 * One ticket's plausible life, written as the product writes it: the creation (complete or
 * 信息不全), routing to the department's team (VIP desk for VIP customers) with its decision, replies
 * in the agents' shifts, sometimes a hand-off to another department (转派), a request for the
 * missing information, waiting on the customer, an urge, solving on the first reply or after a
 * conversation, a reopening, the customer's rating and the automatic close.
 */
export function planTicket(
  r: Rng,
  world: DemoWorld,
  customers: DemoCustomer[],
  /** Per category, the customers who recently asked about it (some come back with the same problem). */
  recentBy: Map<string, number[]>,
  created: number,
): PlannedTicket {
  const now = world.now.getTime();
  const category = r.weighted(data.categories, (c) => c.weight);
  const cat = world.categories.get(category.name) as { id: number; departmentId: number; requires: string[] };
  const vipPool = customers.filter((c) => c.tier !== "normal");
  let customer = r.chance(0.15) && vipPool.length ? r.pick(vipPool) : r.pick(customers);
  // Some customers come back with the same kind of problem (重复来单).
  const recent = recentBy.get(category.name) ?? [];
  if (r.chance(0.06) && recent.length) customer = customers.find((c) => c.id === r.pick(recent)) ?? customer;
  recentBy.set(category.name, [...recent.slice(-19), customer.id]);

  const channel = r.weighted(CHANNELS, (c) => CHANNEL_WEIGHT[c] ?? 1);
  const priority =
    customer.tier === "vip"
      ? r.weighted(["normal", "high", "urgent"] as const, (p) => ({ normal: 4, high: 5, urgent: 1 })[p])
      : r.weighted(["low", "normal", "high", "urgent"] as const, (p) => ({ low: 15, normal: 65, high: 16, urgent: 4 })[p]);
  const missing = cat.requires.filter(() => !r.chance(COMPLETE_RATE[channel] ?? 0.9));
  const values: Record<string, string> = {};
  for (const key of cat.requires)
    if (!missing.includes(key))
      values[key] =
        key === "order_no" ? `DD${20260000 + Math.floor(r.next() * 9_999_999)}` : r.pick(["LD-200", "LD-300 Pro", "X1 扫地机器人"]);

  const messages: DemoMessage[] = [];
  const events: DemoEvent[] = [];
  const decisions: DemoDecision[] = [];
  const statuses: { at: Date; status: string }[] = [{ at: new Date(created), status: "new" }];
  const publicMessages: { at: Date; by: "staff" | "customer" }[] = [];
  let t = created;
  let status = "new";
  let departmentId = cat.departmentId;
  let assignee: number | null = null;
  let teamId: number | null = null;
  let round = 0;
  let firstResponseAt = null as number | null;
  let solvedAt = null as number | null;
  let closedAt = null as number | null;
  let lastCustomer = created;
  let lastStaff = null as number | null;
  let reopenCount = 0;
  let transferCount = 0;
  let urgeCount = 0;
  const participants = new Set<number>();
  const customerActor: Actor = { type: "customer", id: customer.id };
  const system: Actor = { type: "system", id: null };
  const ev = (type: TicketEventType, at: number, actor: Actor, extra: Partial<Omit<DemoEvent, "created_at">> = {}) =>
    events.push({
      type,
      actor_type: actor.type,
      actor_id: actor.id,
      field: null,
      before: null,
      after: null,
      data: null,
      ...extra,
      created_at: new Date(at),
    });
  const setStatus = (to: string, at: number, actor: Actor, extra: Record<string, unknown> = {}) => {
    if (to === status) return;
    const reopened = status === "solved" && to === "open";
    ev("status_changed", at, actor, {
      field: "status",
      before: json(status),
      after: json(to),
      data: reopened ? json({ reopened: true, ...extra }) : json(Object.keys(extra).length ? extra : undefined),
    });
    statuses.push({ at: new Date(at), status: to });
    if (to === "solved") solvedAt = at;
    if (reopened) {
      reopenCount++;
      solvedAt = null;
    }
    if (to === "closed") closedAt = at;
    status = to;
  };
  /** The next moment `staffId` is at work, from `at` on. */
  const whenWorking = (staffId: number, at: number) => nextOnShift(world, [staffId], at)?.at ?? at;
  const later = (minutes: number) => Math.max(t + 1000, t + Math.round(minutes * MIN));
  const inPast = (at: number) => at < now - MIN;

  // Created: complete or not, through its channel.
  ev("created", created, customerActor, {
    after: json({ status: "new", priority, channel, categoryId: cat.id, departmentId }),
    data: json({ complete: missing.length === 0 }),
  });
  if (missing.length) ev("info_missing", created, system, { data: json({ fields: missing }) });

  // Routed at once to whoever of the department's team (VIP desk for VIP customers) is at work.
  const target = customer.tier === "vip" ? world.vipTeamId : (world.departmentTeam.get(departmentId) ?? null);
  let routed = target !== null ? route(world, r, target, created + MIN) : null;
  let waitedFrom: number | null = null;
  if (target !== null && !routed) {
    // Nobody on shift: it waits in the queue for the first one to come on.
    const team = world.teams.get(target) as DemoTeamInfo;
    const next = nextOnShift(world, team.memberIds, created);
    if (next && inPast(next.at)) {
      waitedFrom = created;
      routed = { staffId: next.staffId, teamId: target, fallback: false };
      t = next.at;
    }
  }
  if (routed) {
    const at = Math.max(t, created + Math.round(r.between(0.2, 2) * MIN));
    assignee = routed.staffId;
    teamId = routed.teamId;
    round = 1;
    ev("field_changed", at, system, {
      field: "teamId",
      before: null,
      after: json(teamId),
      data: json({ via: { kind: "routing", id: 0, name: "department_team" } }),
    });
    ev("assigned", at, system, {
      field: "assigneeId",
      before: null,
      after: json(assignee),
      data: json({ via: { kind: "routing", id: 0, name: "assigned" } }),
    });
    const team = world.teams.get(teamId) as DemoTeamInfo;
    decisions.push({
      round,
      outcome: "assigned",
      team_id: teamId,
      staff_id: assignee,
      strategy: team.strategy === "skill" ? "skill" : "least_loaded",
      reason: customer.tier === "vip" ? "green_channel" : routed.fallback ? "fallback_team" : waitedFrom ? "waiting" : "department_team",
      details: json({ trigger: waitedFrom ? "waiting" : "created" }) as string,
      candidates: json(
        team.memberIds.map((id) => ({
          staffId: id,
          load: loadAt(world, id, at),
          capacity: world.agents.get(id)?.capacity ?? 10,
          skill: 0,
          ...(isOnShift(world.agents.get(id)?.shifts ?? [], [], new Date(at), world.timeZone) ? {} : { excluded: "off_shift" }),
        })),
      ) as string,
      actor_type: "system",
      actor_id: null,
      created_at: new Date(at),
    });
    t = at;
  } else if (target !== null) {
    teamId = target;
  }

  const staff = () => ({ type: "staff" as const, id: assignee });
  // Each answer of a conversation is a different sentence.
  const unused = [...category.replies];
  const reply = () => (unused.length > 1 ? (unused.splice(Math.floor(r.next() * unused.length), 1)[0] as string) : (unused[0] ?? ""));
  const staffReply = (body: string, next: string | null, delayMinutes: number): number | null => {
    if (assignee === null) return null;
    const at = whenWorking(assignee, later(delayMinutes));
    if (!inPast(at)) return null;
    t = at;
    participants.add(assignee);
    messages.push({
      visibility: "public",
      author_type: "staff",
      author_staff_id: assignee,
      body_text: body,
      channel,
      created_at: new Date(at),
    });
    ev("message_added", at, staff(), { data: json({ visibility: "public" }) });
    publicMessages.push({ at: new Date(at), by: "staff" });
    lastStaff = at;
    if (firstResponseAt === null) {
      firstResponseAt = at;
      ev("first_response", at, staff());
    }
    const to = next ?? (status === "new" ? "open" : status);
    setStatus(to, at, staff());
    if (to === "solved") ev("resolution_sent", at, system);
    return at;
  };
  const customerReply = (body: string, delayMinutes: number): number | null => {
    const at = later(delayMinutes);
    if (!inPast(at)) return null;
    t = at;
    messages.push({
      visibility: "public",
      author_type: "customer",
      author_customer_id: customer.id,
      body_text: body,
      channel,
      created_at: new Date(at),
    });
    ev("message_added", at, customerActor, { data: json({ visibility: "public" }) });
    publicMessages.push({ at: new Date(at), by: "customer" });
    lastCustomer = at;
    if (status === "pending" || status === "on_hold" || status === "solved") setStatus("open", at, customerActor);
    return at;
  };
  const note = (body: string) => {
    if (assignee === null) return;
    const at = whenWorking(assignee, later(r.between(2, 30)));
    if (!inPast(at)) return;
    t = at;
    participants.add(assignee);
    messages.push({
      visibility: "internal",
      author_type: "staff",
      author_staff_id: assignee,
      body_text: body,
      channel,
      created_at: new Date(at),
    });
    ev("message_added", at, staff(), { data: json({ visibility: "internal" }) });
  };

  // How this ticket goes: most get answered within the hour of someone being at work; a tail waits long.
  const slow = r.chance(0.14);
  const firstDelay = slow ? r.around(420, 0.5) : r.around(customer.tier === "vip" ? 8 : 22, 0.7);
  const fcr = missing.length === 0 && r.chance(0.52);
  const handOff = data.handOffs[category.name];
  const transfers = handOff && !fcr && r.chance(0.22);
  const reopens = r.chance(0.055);
  const rates = r.chance(0.46);

  if (r.chance(0.18)) note(r.pick(data.internalNotes));
  if (missing.length) {
    // 信息不全: the customer is asked for exactly what is missing, once, and answers.
    const asked = later(r.between(1, 3));
    if (inPast(asked)) {
      t = asked;
      ev("info_requested", asked, system, { data: json({ fields: missing }) });
      staffReply(
        `您好，为了尽快处理，请补充：${missing.map((k) => (k === "order_no" ? "订单号" : "设备型号")).join("、")}。`,
        "pending",
        r.around(15),
      );
      const answered = customerReply(
        missing.includes("order_no") ? `订单号是 DD${20260000 + Math.floor(r.next() * 9_999_999)}` : "型号：LD-200",
        r.around(90, 1),
      );
      if (answered) {
        for (const key of missing) values[key] = key === "order_no" ? `DD${20260000 + Math.floor(r.next() * 9_999_999)}` : "LD-200";
        ev("info_completed", answered, customerActor, { data: json({ fields: missing }) });
        missing.length = 0;
      }
    }
  }

  if (fcr) staffReply(reply(), "solved", firstDelay);
  else {
    staffReply(reply(), r.chance(0.4) ? "pending" : "open", firstDelay);
    if (transfers && assignee !== null && firstResponseAt !== null) {
      // 转派: the ticket needs another department; the reason goes with it, and that team's member on shift takes it.
      const toDept = world.departments.get(handOff.to) as number;
      const toTeam = world.departmentTeam.get(toDept) ?? null;
      const at = later(r.between(5, 90));
      const next = toTeam !== null ? route(world, r, toTeam, at) : null;
      if (inPast(at) && next) {
        t = at;
        const from = { departmentId, teamId, assigneeId: assignee };
        const by = assignee;
        participants.add(by);
        departmentId = world.teams.get(next.teamId)?.departmentId ?? toDept;
        teamId = next.teamId;
        transferCount++;
        const reason = r.pick(handOff.reasons);
        ev(
          "transferred",
          at,
          { type: "staff", id: by },
          {
            before: json(from),
            after: json({ departmentId, teamId, assigneeId: null }),
            data: json({ reason }),
          },
        );
        decisions.push({
          round,
          outcome: "transferred",
          team_id: teamId,
          staff_id: null,
          strategy: null,
          reason: "transferred",
          details: json({
            text: reason,
            fromStaffId: by,
            fromTeamId: from.teamId,
            fromDepartmentId: from.departmentId,
            toDepartmentId: departmentId,
          }) as string,
          candidates: "[]",
          actor_type: "staff",
          actor_id: by,
          created_at: new Date(at),
        });
        assignee = next.staffId;
        round++;
        const assignedAt = at + 1000;
        ev("assigned", assignedAt, system, {
          field: "assigneeId",
          before: null,
          after: json(assignee),
          data: json({ via: { kind: "routing", id: 0, name: "assigned" } }),
        });
        decisions.push({
          round,
          outcome: "assigned",
          team_id: teamId,
          staff_id: assignee,
          strategy: "least_loaded",
          reason: "transferred",
          details: json({ trigger: "transferred" }) as string,
          candidates: "[]",
          actor_type: "staff",
          actor_id: by,
          created_at: new Date(assignedAt),
        });
        t = assignedAt;
      }
    }
    if (r.chance(0.55)) customerReply(r.pick(data.customerFollowUps), r.around(240, 1));
    if (slow && r.chance(0.5)) {
      // Waiting too long: the customer urges (一键催办).
      const at = later(r.around(180, 0.6));
      if (inPast(at)) {
        t = at;
        urgeCount++;
        ev("urged", at, customerActor, { after: json(urgeCount), data: json({ note: r.pick(["请尽快处理", "已经等了很久了", null]) }) });
      }
    }
    if (r.chance(0.3)) staffReply(reply(), null, r.around(90, 0.8));
    if (category.name === "设备报修" && r.chance(0.3)) {
      // Waiting for a spare part: 挂起.
      const at = later(r.between(5, 30));
      if (inPast(at) && assignee !== null) {
        t = at;
        setStatus("on_hold", at, staff());
      }
    }
    staffReply(reply(), "solved", slow ? r.around(4000, 0.4) : r.around(480, 0.9));
  }
  if (reopens && solvedAt !== null) {
    const back = customerReply("问题又出现了，麻烦再看一下。", r.around(900, 0.8));
    if (back) staffReply(reply(), "solved", r.around(240, 0.8));
  }
  const solved = solvedAt as number | null;
  let csat: PlannedTicket["csat"] = null;
  if (solved !== null && rates) {
    const at = solved + Math.round(r.around(180, 1.2) * MIN);
    if (inPast(at) && at - solved < 4 * DAY) {
      // Faster, first-time answers get better ratings.
      const good = (fcr ? 0.3 : 0) + (slow ? -0.45 : 0.1) + (transferCount ? -0.1 : 0) + (reopenCount ? -0.3 : 0);
      const rating = r.weighted(
        [5, 4, 3, 2, 1],
        (s) => ({ 5: 50 + 60 * good, 4: 28, 3: 10 - 8 * good, 2: 6 - 8 * good, 1: 6 - 8 * good })[s] ?? 1,
      );
      const comment = r.pick(data.csatComments[rating] ?? [""]) || null;
      csat = { rating, comment, sentAt: new Date(solved), answeredAt: new Date(at) };
      ev("csat_received", at, customerActor, { data: json({ rating, comment, via: "link" }) });
    }
  }
  // Solved tickets close automatically after four days.
  if (solved !== null && status === "solved" && solved + 4 * DAY < now)
    setStatus("closed", solved + 4 * DAY, system, { reason: "auto_close" });

  if (assignee !== null && status !== "solved" && status !== "closed") {
    const list = world.busy.get(assignee) ?? [];
    list.push({ from: t, to: Number.POSITIVE_INFINITY });
    world.busy.set(assignee, list);
  } else if (assignee !== null) {
    const list = world.busy.get(assignee) ?? [];
    list.push({ from: t, to: solved ?? t });
    world.busy.set(assignee, list);
  }

  events.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  const updatedAt = Math.max(...events.map((e) => e.created_at.getTime()));
  const statusChangedAt = statuses.at(-1)?.at ?? new Date(created);
  return {
    createdAt: new Date(created),
    messages,
    events,
    decisions,
    csat,
    statuses,
    publicMessages,
    tier: customer.tier,
    ticket: {
      subject: r.pick(category.subjects),
      description: r.pick(category.details),
      status,
      priority,
      channel,
      category_id: cat.id,
      customer_id: customer.id,
      organization_id: customer.org,
      department_id: departmentId,
      assignee_id: assignee,
      team_id: teamId,
      routing_status: assignee !== null ? "assigned" : teamId !== null ? "queued" : null,
      routing_round: round,
      transfer_count: transferCount,
      urge_count: urgeCount,
      participant_ids: [...participants],
      tags: customer.tier === "vip" ? ["VIP"] : r.chance(0.08) ? ["重复问题"] : [],
      custom_fields: JSON.stringify(values),
      missing_fields: missing,
      complete_at_creation: !events.some((e) => e.type === "info_missing"),
      first_response_at: firstResponseAt === null ? null : new Date(firstResponseAt),
      solved_at: solved === null ? null : new Date(solved),
      closed_at: closedAt === null ? null : new Date(closedAt),
      reopen_count: reopenCount,
      last_customer_message_at: new Date(lastCustomer),
      last_staff_reply_at: lastStaff === null ? null : new Date(lastStaff),
      status_changed_at: statusChangedAt,
      created_at: new Date(created),
      updated_at: new Date(updatedAt),
    },
  };
}
