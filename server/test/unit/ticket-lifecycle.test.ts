import { ticketStatuses } from "@loopdesk/contracts/tickets";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/platform/errors";
import {
  assertTransition,
  canTransition,
  statusAfterCustomerReply,
  statusAfterStaffReply,
  statusSideEffects,
  raisedPriority,
} from "../../src/modules/tickets/ticket-lifecycle";

describe("ticket state machine", () => {
  it("allows the documented manual moves", () => {
    for (const [from, to] of [
      ["new", "open"],
      ["open", "solved"],
      ["solved", "closed"],
      ["open", "pending"],
      ["pending", "on_hold"],
      ["on_hold", "open"],
      ["solved", "open"],
    ] as const)
      expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
  });

  it("closed is final and nothing returns to new", () => {
    for (const to of ticketStatuses) if (to !== "closed") expect(canTransition("closed", to)).toBe(false);
    for (const from of ticketStatuses) if (from !== "new") expect(canTransition(from, "new")).toBe(false);
    expect(canTransition("new", "closed")).toBe(false);
    expect(canTransition("open", "closed")).toBe(false);
  });

  it("an invalid move throws 409 invalid_transition", () => {
    try {
      assertTransition("new", "closed");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(409);
      expect((e as AppError).code).toBe("invalid_transition");
    }
  });

  it("a customer reply brings waiting and solved tickets back to open", () => {
    expect(statusAfterCustomerReply("pending")).toBe("open");
    expect(statusAfterCustomerReply("on_hold")).toBe("open");
    expect(statusAfterCustomerReply("solved")).toBe("open");
    expect(statusAfterCustomerReply("new")).toBe("new");
    expect(statusAfterCustomerReply("open")).toBe("open");
  });

  it("a message that takes a new ticket up (a public reply, its owner's note) moves it into work unless a status is chosen", () => {
    expect(statusAfterStaffReply("new", undefined, true)).toBe("open");
    expect(statusAfterStaffReply("new", undefined, false)).toBe("new");
    expect(statusAfterStaffReply("new", "pending", true)).toBe("pending");
    expect(statusAfterStaffReply("open", undefined, true)).toBe("open");
  });

  it("entering solved/closed stamps the time; reopening clears solvedAt", () => {
    const now = new Date();
    expect(statusSideEffects("open", "solved", now)).toEqual({ solved_at: now, status_changed_at: now, reopened: false });
    expect(statusSideEffects("solved", "closed", now)).toEqual({ closed_at: now, status_changed_at: now, reopened: false });
    expect(statusSideEffects("solved", "open", now)).toEqual({ solved_at: null, status_changed_at: now, reopened: true });
  });

  it("raising a priority climbs one level and stops at urgent", () => {
    expect(["low", "normal", "high", "urgent"].map(raisedPriority)).toEqual(["normal", "high", "urgent", "urgent"]);
  });
});
