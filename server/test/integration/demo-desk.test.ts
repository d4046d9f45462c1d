import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Shift } from "@loopdesk/contracts/routing";
import { sweepRouting } from "../../src/modules/routing/routing-jobs";
import { isOnShift } from "../../src/modules/routing/shifts";
import { seedDemo } from "../../src/modules/setup/seed-demo";
import { type TestApp, createTestApp } from "../support/test-app";

/**
 * Tried on a Sunday evening, the demo's agent 李娜 (off on Sundays) still has the requests she was
 * working on: answered ones stay hers when she is off shift, as on a real desk. And the demo's
 * history already did the rebalancing routing does, so the server's first sweep hands nothing back.
 */
let t: TestApp;
let now: Date;

// 19:30 Beijing time on the latest Sunday before now.
function sundayEvening() {
  const at = new Date(Date.now() - 86_400_000);
  at.setUTCHours(11, 30, 0, 0);
  while (at.getUTCDay() !== 0) at.setUTCDate(at.getUTCDate() - 1);
  return at;
}

beforeAll(async () => {
  t = await createTestApp();
  now = sundayEvening();
  await seedDemo(t.ctx, { tickets: 200, customers: 40, now });
  // Rebalancing as the server runs it at that hour: off-shift agents give back untouched tickets.
  await t.ctx.jobs.drain();
  await sweepRouting(t.ctx, t.ctx.db, now);
  await t.ctx.jobs.drain();
});
afterAll(() => t.close());

describe("the demo agent's desk", () => {
  it("holds her answered requests whatever the hour: waiting for the customer, answered, on hold, urged", async () => {
    const lina = await t.signIn("lina@demo.loopdesk.local", "loopdesk-demo");
    const mine = (await lina.get("/api/v1/tickets?assignee=me&status=new,open,pending,on_hold&limit=50")).json().items as {
      status: string;
      firstResponseAt: string | null;
      urgeCount: number;
    }[];
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(new Set(mine.map((x) => x.status))).toEqual(new Set(["open", "pending", "on_hold"]));
    for (const x of mine) expect(x.firstResponseAt).not.toBeNull();
    expect(mine.some((x) => x.urgeCount > 0)).toBe(true);
  });
});

describe("the demo's staff", () => {
  it("answer customers during their shifts (a weekend agent's next answer waits for the weekend)", async () => {
    const shifts = new Map(
      (await t.ctx.db.selectFrom("agent_states").select(["staff_id", "shifts"]).execute()).map((a) => [a.staff_id, a.shifts as Shift[]]),
    );
    const replies = await t.ctx.db
      .selectFrom("ticket_messages")
      .select(["id", "author_staff_id", "created_at"])
      .where("author_type", "=", "staff")
      .where("visibility", "=", "public")
      .execute();
    expect(replies.length).toBeGreaterThan(100);
    const offShift = replies.filter((m) => {
      const own = shifts.get(m.author_staff_id as number) ?? [];
      return own.length > 0 && !isOnShift(own, [], m.created_at, t.ctx.config.timeZone);
    });
    expect(offShift).toEqual([]);
  });
});

describe("the demo's routing history", () => {
  it("handed untouched tickets back when their agents' shifts ended, so nothing is handed back when the server starts", async () => {
    const returned = await t.ctx.db
      .selectFrom("assignment_log")
      .select(["created_at", "reason"])
      .where("outcome", "=", "returned")
      .execute();
    // The first sweep (above, at the demo's start) found nobody holding an untouched ticket off shift.
    expect(returned.filter((d) => d.created_at.getTime() >= now.getTime() - 60_000)).toEqual([]);
    // The history shows the hand-backs where they happened: at shift ends, before the start.
    expect(returned.length).toBeGreaterThan(0);
    expect(new Set(returned.map((d) => d.reason))).toContain("agent_offline");
    // Each ticket's history ends where the ticket is: its latest team and assignee events name its team and
    // assignee (a hand-off to another department records its new team in the hand-off itself: left out here).
    const tickets = await t.ctx.db.selectFrom("tickets").select(["id", "team_id", "assignee_id"]).where("transfer_count", "=", 0).execute();
    const events = await t.ctx.db
      .selectFrom("ticket_events")
      .select(["ticket_id", "field", "after"])
      .where("field", "in", ["teamId", "assigneeId"])
      .where("type", "in", ["field_changed", "assigned", "unassigned"])
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    const last = new Map(events.map((e) => [`${e.ticket_id}:${e.field}`, e.after ?? null]));
    const wrong = tickets.filter(
      (x) =>
        (last.has(`${x.id}:teamId`) && last.get(`${x.id}:teamId`) !== x.team_id) ||
        (last.has(`${x.id}:assigneeId`) && last.get(`${x.id}:assigneeId`) !== x.assignee_id),
    );
    expect(wrong).toEqual([]);
  });

  it("hands back only tickets nobody took up: never one whose agent wrote on it or started its process", async () => {
    const events = await t.ctx.db
      .selectFrom("ticket_events")
      .select(["ticket_id", "type", "actor_type", "actor_id", "after", "data"])
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    // Who holds each ticket, and whether they did anything on it (a message, a process, a status) since it came to them.
    const holder = new Map<number, { staffId: number; worked: boolean }>();
    const wrong: number[] = [];
    let handBacks = 0;
    for (const e of events) {
      const held = holder.get(e.ticket_id);
      if (e.type === "assigned") holder.set(e.ticket_id, { staffId: e.after as number, worked: false });
      else if (e.type === "unassigned") {
        if (["agent_offline", "agent_off_shift"].includes((e.data as { via?: { name?: string } } | null)?.via?.name ?? "")) {
          handBacks++;
          if (held?.worked) wrong.push(e.ticket_id);
        }
        holder.delete(e.ticket_id);
      } else if (held && e.actor_type === "staff" && e.actor_id === held.staffId) held.worked = true;
    }
    expect(handBacks).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
    // A process its agent started took the ticket up: none of those is still 新建.
    const started = await t.ctx.db
      .selectFrom("process_instances as p")
      .innerJoin("tickets as k", "k.id", "p.ticket_id")
      .select(["k.id", "k.status"])
      .where("p.started_by_type", "=", "staff")
      .where("p.parent_instance_id", "is", null)
      .whereRef("p.started_by_id", "=", "k.assignee_id")
      .execute();
    expect(started.length).toBeGreaterThan(0);
    expect(started.filter((x) => x.status === "new")).toEqual([]);
  });
});
