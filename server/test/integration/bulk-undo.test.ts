import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

async function ticket(subject: string) {
  const customer = await t.factory.customer();
  const id = (await admin.post("/api/v1/tickets", { subject, customer: { id: customer.id } })).json().id as number;
  // Answered, so it may be solved.
  await admin.post(`/api/v1/tickets/${id}/messages`, { body: "已收到", visibility: "public" });
  return id;
}
const get = async (id: number) => (await admin.get(`/api/v1/tickets/${id}`)).json();

describe("bulk changes", () => {
  it("can be undone for a minute by whoever made them; a ticket changed since is left alone; an undone solve is no reopening", async () => {
    const ids = [await ticket("批量一"), await ticket("批量二"), await ticket("批量三")];
    const res = await admin.post("/api/v1/tickets/bulk-update", { ids, changes: { status: "solved", priority: "high" } });
    expect(res.statusCode).toBe(200);
    const { undoId, undoUntil, items } = res.json();
    expect(items.every((i: { ok: boolean }) => i.ok)).toBe(true);
    expect(Date.parse(undoUntil) - Date.now()).toBeGreaterThan(50_000);
    // Someone works on one of them meanwhile.
    expect((await admin.patch(`/api/v1/tickets/${ids[2]}`, { priority: "urgent" })).statusCode).toBe(200);
    // Not someone else's to undo.
    const other = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    expect((await other.post(`/api/v1/tickets/bulk-update/${undoId}/undo`)).statusCode).toBe(404);

    const undone = await admin.post(`/api/v1/tickets/bulk-update/${undoId}/undo`);
    expect(undone.statusCode).toBe(200);
    expect(undone.json().items).toEqual([
      { id: ids[0], ok: true },
      { id: ids[1], ok: true },
      expect.objectContaining({ id: ids[2], ok: false, error: expect.objectContaining({ code: "precondition_failed" }) }),
    ]);
    for (const id of ids.slice(0, 2)) expect(await get(id)).toMatchObject({ status: "open", priority: "normal", reopenCount: 0 });
    expect(await get(ids[2] as number)).toMatchObject({ status: "solved", priority: "urgent" });
    // Once only.
    expect((await admin.post(`/api/v1/tickets/bulk-update/${undoId}/undo`)).statusCode).toBe(404);
  });

  it("after a minute, an undo is refused", async () => {
    const ids = [await ticket("过期")];
    const { undoId } = (await admin.post("/api/v1/tickets/bulk-update", { ids, changes: { priority: "low" } })).json();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    const late = await admin.post(`/api/v1/tickets/bulk-update/${undoId}/undo`);
    vi.useRealTimers();
    expect(late.statusCode).toBe(409);
    expect((await get(ids[0] as number)).priority).toBe("low");
  });
});
