import { isOnShift } from "../routing/shifts";
import { TicketStoryBase } from "./demo-ticket-story";
import { type Actor, DAY, type DemoTeamInfo, type DemoWorld, MIN, RECENT_MS, json, loadAt, nextOnShift, routeIn } from "./demo-world";

const system: Actor = { type: "system", id: null };

/** A ticket's story with its routing: sent to a team on creation, offered for claiming, handed to another department. */
export class TicketStory extends TicketStoryBase {
  /**
   * Routed at once to whoever of the team (VIP desk for VIP customers) is at work; with nobody on
   * shift it waits in the queue for the first one to come on.
   */
  routeOnCreation(target: number | null, opts: { unclaimed?: boolean } = {}) {
    const { world, r, created } = this;
    let routed = target !== null ? routeIn(world, r, target, created + MIN) : null;
    let waitedFrom: number | null = null;
    if (target !== null && !routed) {
      const team = world.teams.get(target) as DemoTeamInfo;
      const next = nextOnShift(world, team.memberIds, created, true);
      if (next && this.inPast(next.at)) {
        waitedFrom = created;
        routed = { staffId: next.staffId, teamId: target, fallback: false };
        this.t = next.at;
      }
    }
    if (!routed) {
      if (target !== null) this.teamId = target;
      return;
    }
    const team = world.teams.get(routed.teamId) as DemoTeamInfo;
    if (team.strategy === "claim" && !routed.fallback && !waitedFrom) {
      this.offerThenClaim(team, routed.staffId, opts.unclaimed ?? false);
      return;
    }
    this.assign(routed, waitedFrom);
  }

  /** Routed on creation to `staffId` of their team, who is at work (the demo's agent desks). */
  routeTo(staffId: number, teamId: number) {
    this.assign({ staffId, teamId, fallback: false }, null);
  }

  private assign(routed: { staffId: number; teamId: number; fallback: boolean }, waitedFrom: number | null) {
    const { r, created } = this;
    const team = this.world.teams.get(routed.teamId) as DemoTeamInfo;
    const at = Math.max(this.t, created + Math.round(r.between(0.2, 2) * MIN));
    this.assignee = routed.staffId;
    this.assignedFrom = at;
    this.teamId = routed.teamId;
    this.round = 1;
    this.teamEvent(at);
    this.assignedEvent(at);
    this.decisions.push({
      round: this.round,
      outcome: "assigned",
      team_id: this.teamId,
      staff_id: this.assignee,
      strategy: team.strategy === "skill" ? "skill" : "least_loaded",
      reason:
        this.customer.tier === "vip" ? "green_channel" : routed.fallback ? "fallback_team" : waitedFrom ? "waiting" : "department_team",
      details: json({ trigger: waitedFrom ? "waiting" : "created" }) as string,
      candidates: this.candidates(team, at),
      actor_type: "system",
      actor_id: null,
      created_at: new Date(at),
    });
    this.t = at;
  }

  /**
   * A claim team's request (抢单): offered at once to its members at work, taken by the first to
   * claim it minutes later — or, for the newest ones (`unclaimed`), still on offer until its time runs out.
   */
  /** Someone claimed it (抢单): they took it to answer it now. */
  claimed = false;

  /**
   * How long its claimer takes to answer (and to note anything before): within their shift — claiming
   * is taking it up to answer now, so no claimed request waits for the next shift.
   */
  protected override firstAnswerDelay(delayMinutes: number) {
    const team = this.teamId !== null ? this.world.teams.get(this.teamId) : undefined;
    if (!this.claimed || this.assignee === null || !team) return delayMinutes;
    const gone = unavailableFrom(this.world, this.assignee, team, this.t);
    return gone ? Math.min(delayMinutes, Math.max(1, (gone.at - this.t) / MIN - 2)) : delayMinutes;
  }

  private offerThenClaim(team: DemoTeamInfo, staffId: number, unclaimed: boolean) {
    const { r, created } = this;
    const offeredAt = created + Math.round(r.between(0.1, 0.5) * MIN);
    const until = offeredAt + team.claimTimeoutMinutes * MIN;
    this.teamId = team.id;
    this.teamEvent(offeredAt);
    this.decisions.push({
      round: 1,
      outcome: "offered",
      team_id: team.id,
      staff_id: null,
      strategy: "claim",
      reason: "department_team",
      details: json({ trigger: "created", offeredUntil: new Date(until).toISOString() }) as string,
      candidates: this.candidates(team, offeredAt),
      actor_type: "system",
      actor_id: null,
      created_at: new Date(offeredAt),
    });
    this.t = offeredAt;
    // Claimed by someone at work, with time left to take it up: a claim that would fall in the last minutes
    // of the claimer's shift comes earlier (claiming is taking a request up to answer it now).
    const gone = unavailableFrom(this.world, staffId, team, offeredAt);
    const drawn = offeredAt + Math.round(r.between(0.5, 12) * MIN);
    const claimedAt = gone ? Math.min(drawn, Math.max(offeredAt + 30_000, gone.at - 15 * MIN)) : drawn;
    if (unclaimed || !this.inPast(claimedAt)) {
      this.offeredUntil = until;
      return;
    }
    this.assignee = staffId;
    this.assignedFrom = claimedAt;
    this.claimed = true;
    this.round = 1;
    this.assignedEvent(claimedAt, "claimed");
    this.decisions.push({
      round: 1,
      outcome: "claimed",
      team_id: team.id,
      staff_id: staffId,
      strategy: "claim",
      reason: "claimed",
      details: "{}",
      candidates: "[]",
      actor_type: "staff",
      actor_id: staffId,
      created_at: new Date(claimedAt),
    });
    this.t = claimedAt;
  }

  /** A request still waiting for its first answer at the demo's start: handed back whenever its holder stopped being available. */
  handBackUntilNow() {
    this.handBack(Number.POSITIVE_INFINITY);
  }

  /**
   * 退回重分 as routing does it: a ticket nobody has answered yet goes back when its assignee goes
   * off shift or offline before `until` (at most now), and is routed again in its team — at once to
   * someone at work, else to the first one to come on. Claim teams' tickets are left as claimed.
   */
  protected override handBack(until: number) {
    const limit = Math.min(until, this.world.now.getTime() - MIN);
    for (let hops = 0; hops < 40 && this.assignee !== null && this.status === "new"; hops++) {
      const team = this.teamId !== null ? this.world.teams.get(this.teamId) : undefined;
      if (!team || team.strategy === "claim") return;
      const gone = unavailableFrom(this.world, this.assignee, team, this.t);
      if (gone === null || gone.at >= limit) return;
      this.giveBack(gone.at, gone.why);
      if (!this.routeAgain(team, gone.at)) return;
    }
  }

  private giveBack(at: number, why: "agent_offline" | "agent_off_shift") {
    const from = this.assignee as number;
    // What they held counts toward their load until now.
    this.world.busy.set(from, [...(this.world.busy.get(from) ?? []), { from: this.assignedFrom, to: at }]);
    this.systemEvent("unassigned", at, {
      field: "assigneeId",
      before: json(from),
      after: null,
      data: json({ via: { kind: "routing", id: 0, name: why } }),
    });
    this.decisions.push({
      round: this.round,
      outcome: "returned",
      team_id: this.teamId,
      staff_id: from,
      strategy: null,
      reason: why,
      details: "{}",
      candidates: "[]",
      actor_type: "system",
      actor_id: null,
      created_at: new Date(at),
    });
    this.assignee = null;
    this.t = at;
  }

  /** Routed again after a hand-back: false when nobody of the team comes on before now (it waits in the queue). */
  private routeAgain(team: DemoTeamInfo, at: number) {
    const { world, r } = this;
    let routed = routeIn(world, r, team.id, at + 1000);
    let when = at + 1000;
    let trigger: "returned" | "waiting" = "returned";
    if (!routed) {
      const next = nextOnShift(world, team.memberIds, at, true);
      if (!next || !this.inPast(next.at)) return false;
      routed = { staffId: next.staffId, teamId: team.id, fallback: false };
      when = next.at;
      trigger = "waiting";
    }
    const to = world.teams.get(routed.teamId) as DemoTeamInfo;
    const fromTeam = this.teamId;
    this.round++;
    this.assignee = routed.staffId;
    this.assignedFrom = when;
    this.teamId = routed.teamId;
    // Its team's fallback took it: the team changes first, as routing records it.
    if (routed.teamId !== fromTeam) this.teamEvent(when, fromTeam);
    this.assignedEvent(when);
    this.decisions.push({
      round: this.round,
      outcome: "assigned",
      team_id: this.teamId,
      staff_id: this.assignee,
      strategy: to.strategy === "skill" ? "skill" : "least_loaded",
      reason: trigger,
      details: json({ trigger }) as string,
      candidates: this.candidates(to, when),
      actor_type: "system",
      actor_id: null,
      created_at: new Date(when),
    });
    this.t = when;
    return true;
  }

  /** The team's members as routing weighed them at `at`: load, capacity and who was off shift. */
  private candidates(team: DemoTeamInfo, at: number) {
    const { world } = this;
    return json(
      team.memberIds.map((id) => ({
        staffId: id,
        load: loadAt(world, id, at),
        capacity: world.agents.get(id)?.capacity ?? 10,
        skill: 0,
        ...(isOnShift(world.agents.get(id)?.shifts ?? [], [], new Date(at), world.timeZone) ? {} : { excluded: "off_shift" }),
      })),
    ) as string;
  }

  private teamEvent(at: number, before: number | null = null) {
    this.systemEvent("field_changed", at, {
      field: "teamId",
      before: before === null ? null : json(before),
      after: json(this.teamId),
      data: json({ via: { kind: "routing", id: 0, name: "department_team" } }),
    });
  }

  /** Assigned by routing, or claimed by the agent (their own act). */
  private assignedEvent(at: number, how: "assigned" | "claimed" = "assigned") {
    this.event("assigned", at, how === "claimed" ? { type: "staff", id: this.assignee } : system, {
      field: "assigneeId",
      before: null,
      after: json(this.assignee),
      data: json({ via: { kind: "routing", id: 0, name: how } }),
    });
  }

  /** 转派: the ticket needs another department; the reason goes with it, and that team's member on shift takes it. */
  transfer(toDept: number, reason: () => string) {
    const { world, r } = this;
    if (this.assignee === null || this.firstResponseAt === null) return;
    const toTeam = world.departmentTeam.get(toDept) ?? null;
    const at = this.later(r.between(5, 90));
    const next = toTeam !== null ? routeIn(world, r, toTeam, at) : null;
    // A hand-off goes to the department it names: not to another one's team by a fallback.
    if (!this.inPast(at) || !next || world.teams.get(next.teamId)?.departmentId !== toDept) return;
    this.t = at;
    const from = { departmentId: this.departmentId, teamId: this.teamId, assigneeId: this.assignee };
    const by = this.assignee;
    this.participants.add(by);
    this.departmentId = toDept;
    this.teamId = next.teamId;
    this.transferCount++;
    const text = reason();
    const staffActor: Actor = { type: "staff", id: by };
    this.event("transferred", at, staffActor, {
      before: json(from),
      after: json({ departmentId: this.departmentId, teamId: this.teamId, assigneeId: null }),
      data: json({ reason: text }),
    });
    const decision = { candidates: "[]", actor_type: "staff", actor_id: by };
    this.decisions.push({
      ...decision,
      round: this.round,
      outcome: "transferred",
      team_id: this.teamId,
      staff_id: null,
      strategy: null,
      reason: "transferred",
      details: json({
        text,
        fromStaffId: by,
        fromTeamId: from.teamId,
        fromDepartmentId: from.departmentId,
        toDepartmentId: this.departmentId,
      }) as string,
      created_at: new Date(at),
    });
    this.assignee = next.staffId;
    this.round++;
    const assignedAt = at + 1000;
    this.assignedFrom = assignedAt;
    this.assignedEvent(assignedAt);
    this.decisions.push({
      ...decision,
      round: this.round,
      outcome: "assigned",
      team_id: this.teamId,
      staff_id: this.assignee,
      strategy: "least_loaded",
      reason: "transferred",
      details: json({ trigger: "transferred" }) as string,
      created_at: new Date(assignedAt),
    });
    this.t = assignedAt;
  }
}

/**
 * When `staffId` stops being available to routing from `from` on: the end of their shift (a roster
 * team's member then goes offline), or, in a team whose members come online by signing in, the
 * hours before the demo's start in which nobody signed in.
 */
function unavailableFrom(world: DemoWorld, staffId: number, team: DemoTeamInfo, from: number) {
  const agent = world.agents.get(staffId);
  if (!agent) return null;
  const signedOff = team.rostered || world.onlineByHand.has(staffId) ? Number.POSITIVE_INFINITY : world.now.getTime() - RECENT_MS;
  const onShift = (t: number) => isOnShift(agent.shifts, [], new Date(t), world.timeZone);
  for (let t = from; t < from + 2 * DAY; t += 10 * MIN) {
    if (t >= signedOff) return { at: Math.max(from, signedOff), why: "agent_offline" as const };
    if (onShift(t)) continue;
    // The shift's end to the minute (a reply due minutes after it must not be written by them).
    let end = t;
    while (end - MIN > from && !onShift(end - MIN)) end -= MIN;
    return { at: end, why: team.rostered ? ("agent_offline" as const) : ("agent_off_shift" as const) };
  }
  return null;
}
