import type { TicketEventType } from "@loopdesk/contracts/tickets";
import type { Rng } from "./demo-rng";
import {
  type Actor,
  DAY,
  type DemoCustomer,
  type DemoDecision,
  type DemoEvent,
  type DemoMessage,
  type DemoWorld,
  MIN,
  type PlannedTicket,
  json,
  nextOnShift,
} from "./demo-world";

const system: Actor = { type: "system", id: null };

/**
 * One ticket's history as it unfolds, written the way the product writes it: each step (a reply,
 * a status change, a hand-off, an urge, a rating) adds its messages, events and routing
 * decisions at a plausible time. Steps that would fall in the future are left out, so the
 * newest tickets are still open.
 */
export class TicketStoryBase {
  readonly messages: DemoMessage[] = [];
  readonly events: DemoEvent[] = [];
  readonly decisions: DemoDecision[] = [];
  readonly statuses: { at: Date; status: string }[];
  readonly publicMessages: { at: Date; by: "staff" | "customer" }[] = [];
  /** The time of the latest step. */
  t: number;
  status = "new";
  assignee: number | null = null;
  teamId: number | null = null;
  /** A claim team's offer still open: until when (then routing assigns it). */
  offeredUntil: number | null = null;
  round = 0;
  firstResponseAt: number | null = null;
  solvedAt: number | null = null;
  closedAt: number | null = null;
  lastCustomer: number;
  lastStaff: number | null = null;
  reopenCount = 0;
  transferCount = 0;
  /** When the current assignee got the ticket: their load counts it from then. */
  assignedFrom = 0;
  urgeCount = 0;
  readonly participants = new Set<number>();
  private readonly customerActor: Actor;
  private readonly now: number;

  constructor(
    protected readonly r: Rng,
    protected readonly world: DemoWorld,
    readonly customer: DemoCustomer,
    readonly created: number,
    readonly channel: string,
    public departmentId: number,
  ) {
    this.t = created;
    this.lastCustomer = created;
    this.now = world.now.getTime();
    this.customerActor = { type: "customer", id: customer.id };
    this.statuses = [{ at: new Date(created), status: "new" }];
  }

  event(type: TicketEventType, at: number, actor: Actor, extra: Partial<Omit<DemoEvent, "created_at">> = {}) {
    this.events.push({
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
  }

  systemEvent(type: TicketEventType, at: number, extra: Partial<Omit<DemoEvent, "created_at">> = {}) {
    this.event(type, at, system, extra);
  }

  customerEvent(type: TicketEventType, at: number, extra: Partial<Omit<DemoEvent, "created_at">> = {}) {
    this.event(type, at, this.customerActor, extra);
  }

  setStatus(to: string, at: number, actor: Actor, extra: Record<string, unknown> = {}) {
    if (to === this.status) return;
    const reopened = this.status === "solved" && to === "open";
    this.event("status_changed", at, actor, {
      field: "status",
      before: json(this.status),
      after: json(to),
      data: reopened ? json({ reopened: true, ...extra }) : json(Object.keys(extra).length ? extra : undefined),
    });
    this.statuses.push({ at: new Date(at), status: to });
    if (to === "solved") this.solvedAt = at;
    if (reopened) {
      this.reopenCount++;
      this.solvedAt = null;
    }
    if (to === "closed") this.closedAt = at;
    this.status = to;
  }

  /** A moment `minutes` after the latest step (at least a second later). */
  later(minutes: number) {
    return Math.max(this.t + 1000, this.t + Math.round(minutes * MIN));
  }

  inPast(at: number) {
    return at < this.now - MIN;
  }

  private staff(): Actor {
    return { type: "staff", id: this.assignee };
  }

  /**
   * Rebalancing as the product does it, up to `until` (or now): an untouched ticket whose assignee
   * stops being available meanwhile is handed back and routed again (demo-routed-story.ts).
   */
  protected handBack(_until: number) {}

  /** How long the first answer (or the owner's first note before it) may take: a claimer's is bounded (demo-routed-story.ts). */
  protected firstAnswerDelay(delayMinutes: number) {
    return delayMinutes;
  }

  /** The delay of an answer or note: before the first answer, bounded as the story bounds it and its hand-back planned. */
  private untilAnswer(delayMinutes: number) {
    if (this.firstResponseAt !== null) return delayMinutes;
    const bounded = this.firstAnswerDelay(delayMinutes);
    this.handBack(this.later(bounded));
    return bounded;
  }

  /** The next moment `staffId` is at work, from `at` on. */
  private whenWorking(staffId: number, at: number) {
    return nextOnShift(this.world, [staffId], at)?.at ?? at;
  }

  private message(at: number, author: { staffId: number } | "customer", visibility: "public" | "internal", body: string) {
    this.messages.push({
      visibility,
      ...(author === "customer"
        ? { author_type: "customer", author_customer_id: this.customer.id }
        : { author_type: "staff", author_staff_id: author.staffId }),
      body_text: body,
      channel: this.channel,
      created_at: new Date(at),
    });
    this.event("message_added", at, author === "customer" ? this.customerActor : this.staff(), { data: json({ visibility }) });
    if (visibility === "public") this.publicMessages.push({ at: new Date(at), by: author === "customer" ? "customer" : "staff" });
  }

  /** The assignee answers during their shift and sets the status (`null`: opened if new). */
  staffReply(body: string, next: string | null, delayMinutes: number): number | null {
    delayMinutes = this.untilAnswer(delayMinutes);
    if (this.assignee === null) return null;
    const at = this.whenWorking(this.assignee, this.later(delayMinutes));
    if (!this.inPast(at)) return null;
    this.t = at;
    this.participants.add(this.assignee);
    this.message(at, { staffId: this.assignee }, "public", body);
    this.lastStaff = at;
    if (this.firstResponseAt === null) {
      this.firstResponseAt = at;
      this.event("first_response", at, this.staff());
    }
    const to = next ?? (this.status === "new" ? "open" : this.status);
    this.setStatus(to, at, this.staff());
    if (to === "solved") this.systemEvent("resolution_sent", at);
    return at;
  }

  /** The customer writes back; a waiting or solved ticket opens again. */
  customerReply(body: string, delayMinutes: number): number | null {
    const at = this.later(delayMinutes);
    if (!this.inPast(at)) return null;
    this.t = at;
    this.message(at, "customer", "public", body);
    this.lastCustomer = at;
    if (this.status === "pending" || this.status === "on_hold" || this.status === "solved") this.setStatus("open", at, this.customerActor);
    return at;
  }

  note(body: string) {
    const delay = this.untilAnswer(this.r.between(2, 30));
    if (this.assignee === null) return;
    const at = this.whenWorking(this.assignee, this.later(delay));
    if (!this.inPast(at)) return;
    this.t = at;
    this.participants.add(this.assignee);
    this.message(at, { staffId: this.assignee }, "internal", body);
    // The owner's note takes a new ticket up, as in the product.
    if (this.status === "new") this.setStatus("open", at, this.staff());
  }

  /** Waiting too long: the customer urges (一键催办). */
  urge(delayMinutes: number, note: () => string | null) {
    const at = this.later(delayMinutes);
    if (!this.inPast(at)) return;
    this.t = at;
    this.urgeCount++;
    this.customerEvent("urged", at, { after: json(this.urgeCount), data: json({ note: note() }) });
  }

  /** Waiting for something outside (a spare part): 挂起. */
  hold(delayMinutes: number) {
    const at = this.later(delayMinutes);
    if (!this.inPast(at) || this.assignee === null) return;
    this.t = at;
    this.setStatus("on_hold", at, this.staff());
  }

  /** Solved tickets close automatically after four days. */
  autoClose() {
    const solved = this.solvedAt;
    if (solved !== null && this.status === "solved" && solved + 4 * DAY < this.now)
      this.setStatus("closed", solved + 4 * DAY, system, { reason: "auto_close" });
  }

  /** What the assignee holds from the time they got it, so later tickets see their load. */
  recordLoad() {
    if (this.assignee === null) return;
    const open = this.status !== "solved" && this.status !== "closed";
    const list = this.world.busy.get(this.assignee) ?? [];
    list.push({ from: this.assignedFrom, to: open ? Number.POSITIVE_INFINITY : (this.solvedAt ?? this.t) });
    this.world.busy.set(this.assignee, list);
  }

  /** The events in time order and the ticket's row as its history leaves it. */
  toPlanned(
    ticket: Pick<
      PlannedTicket["ticket"],
      "subject" | "description" | "priority" | "category_id" | "tags" | "custom_fields" | "missing_fields"
    >,
    csat: PlannedTicket["csat"],
  ): PlannedTicket {
    this.events.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    const updatedAt = Math.max(...this.events.map((e) => e.created_at.getTime()));
    const date = (ms: number | null) => (ms === null ? null : new Date(ms));
    return {
      createdAt: new Date(this.created),
      messages: this.messages,
      events: this.events,
      decisions: this.decisions,
      csat,
      statuses: this.statuses,
      publicMessages: this.publicMessages,
      tier: this.customer.tier,
      ticket: {
        ...ticket,
        status: this.status,
        channel: this.channel,
        customer_id: this.customer.id,
        organization_id: this.customer.org,
        department_id: this.departmentId,
        assignee_id: this.assignee,
        team_id: this.teamId,
        routing_status:
          this.assignee !== null ? "assigned" : this.offeredUntil !== null ? "offered" : this.teamId !== null ? "queued" : null,
        offered_until: date(this.offeredUntil),
        routing_round: this.round,
        transfer_count: this.transferCount,
        urge_count: this.urgeCount,
        participant_ids: [...this.participants],
        complete_at_creation: !this.events.some((e) => e.type === "info_missing"),
        first_response_at: date(this.firstResponseAt),
        solved_at: date(this.solvedAt),
        closed_at: date(this.closedAt),
        reopen_count: this.reopenCount,
        last_customer_message_at: new Date(this.lastCustomer),
        last_staff_reply_at: date(this.lastStaff),
        status_changed_at: this.statuses.at(-1)?.at ?? new Date(this.created),
        created_at: new Date(this.created),
        updated_at: new Date(updatedAt),
      },
    };
  }
}
