import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepRouting } from "../../src/modules/routing/routing-jobs";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

async function settle() {
  await t.ctx.jobs.drain();
  await sweepRouting(t.ctx, t.ctx.db);
  await t.ctx.jobs.drain();
}

/** Two departments as on the demo: 售后 (where the agent works) and 财务 with its team, a supervisor and an online agent. */
async function workspace() {
  const after = await t.factory.department(`售后-${Date.now()}`);
  const finance = await t.factory.department(`财务-${Date.now()}`);
  const agent = await t.factory.staff({ departmentIds: [after.id], name: "李娜" });
  const colleague = await t.factory.staff({ departmentIds: [after.id], name: "张伟" });
  const accountant = await t.factory.staff({ departmentIds: [finance.id], name: "孙强" });
  const financeLead = await t.factory.staff({ departmentIds: [finance.id], role: "supervisor", name: "财务主管" });
  const team = (
    await admin.post("/api/v1/teams", { name: `财务组-${Date.now()}`, departmentId: finance.id, memberIds: [accountant.id] })
  ).json();
  const invoice = (await admin.post("/api/v1/categories", { name: `发票-${Date.now()}`, departmentId: finance.id })).json();
  const returns = (await admin.post("/api/v1/categories", { name: `退换货-${Date.now()}`, departmentId: after.id })).json();
  const clients = {
    agent: await t.signIn(agent.email, PASSWORD),
    colleague: await t.signIn(colleague.email, PASSWORD),
    accountant: await t.signIn(accountant.email, PASSWORD),
    financeLead: await t.signIn(financeLead.email, PASSWORD),
  };
  expect((await clients.accountant.request("PUT", "/api/v1/routing/me/presence", { presence: "online" })).statusCode).toBe(200);
  return { after, finance, agent, colleague, accountant, financeLead, team, invoice, returns, clients };
}

describe("an agent keeps the tickets they created or worked on", () => {
  it("a phone ticket for another department: routed to that department's team, and its creator still reads it and adds notes", async () => {
    const w = await workspace();
    const customer = await t.factory.customer();
    const created = await w.clients.agent.post("/api/v1/tickets", {
      subject: "需要开增值税专票",
      description: "客户来电要求开专票",
      channel: "phone",
      categoryId: w.invoice.id,
      customer: { id: customer.id },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    await settle();

    // No routing rule, no default team: the category's department's team takes it, and its online member gets it.
    const routed = (await admin.get(`/api/v1/tickets/${id}`)).json();
    expect(routed).toMatchObject({ departmentId: w.finance.id, teamId: w.team.id, assigneeId: w.accountant.id, routingStatus: "assigned" });
    const decisions = (await admin.get(`/api/v1/tickets/${id}/routing`)).json().decisions as { reason: string }[];
    expect(decisions.at(-1)?.reason).toBe("department_team");

    // The creator reads the ticket, its conversation, history and files…
    const mine = await w.clients.agent.get(`/api/v1/tickets/${id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().access).toBe("participant");
    for (const part of ["messages", "events", "attachments"])
      expect((await w.clients.agent.get(`/api/v1/tickets/${id}/${part}`)).statusCode, part).toBe(200);
    // …finds it in the list…
    const listed = (await w.clients.agent.get("/api/v1/tickets?limit=200")).json().items.map((x: { id: number }) => x.id);
    expect(listed).toContain(id);
    // …adds an internal note, but cannot reply to the customer or change it: 财务 owns it now.
    expect((await w.clients.agent.post(`/api/v1/tickets/${id}/messages`, { body: "客户很急", visibility: "internal" })).statusCode).toBe(
      201,
    );
    const reply = await w.clients.agent.post(`/api/v1/tickets/${id}/messages`, { body: "已处理", visibility: "public" });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.code).toBe("participant_only");
    expect((await w.clients.agent.patch(`/api/v1/tickets/${id}`, { priority: "high" })).json().error.code).toBe("participant_only");

    // A colleague in the same department who never touched it does not see it (the rule is about people, not departments).
    expect((await w.clients.colleague.get(`/api/v1/tickets/${id}`)).statusCode).toBe(404);
    const theirs = (await w.clients.colleague.get("/api/v1/tickets?limit=200")).json().items.map((x: { id: number }) => x.id);
    expect(theirs).not.toContain(id);
    // The owning department has full access.
    expect((await w.clients.accountant.get(`/api/v1/tickets/${id}`)).json().access).toBe("full");
  });
});

describe("transfer (转派)", () => {
  it("previews the new owner, needs a reason, records one event, routes within the new team and tells the department", async () => {
    const w = await workspace();
    const customer = await t.factory.customer();
    const id = (
      await w.clients.agent.post("/api/v1/tickets", {
        subject: "退货后还要开发票",
        categoryId: w.returns.id,
        assigneeId: w.agent.id,
        customer: { id: customer.id },
      })
    ).json().id as number;
    await settle();

    const preview = await w.clients.agent.post(`/api/v1/tickets/${id}/transfer/preview`, { departmentId: w.finance.id });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      departmentId: w.finance.id,
      teamId: w.team.id,
      assigneeId: null,
      owner: "team",
      availableAgents: 1,
      reasonRequired: true,
    });

    // The reason is required by default.
    const noReason = await w.clients.agent.post(`/api/v1/tickets/${id}/transfer`, { departmentId: w.finance.id });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0]).toMatchObject({ path: "reason", code: "required" });
    // Nothing to move.
    expect((await w.clients.agent.post(`/api/v1/tickets/${id}/transfer`, { assigneeId: w.agent.id, reason: "x" })).statusCode).toBe(400);

    const moved = await w.clients.agent.post(`/api/v1/tickets/${id}/transfer`, { departmentId: w.finance.id, reason: "需要财务开票" });
    expect(moved.statusCode, moved.body).toBe(200);
    // The assignee is cleared (the transfer named no person) and the team's strategy picked at once.
    expect(moved.json()).toMatchObject({ departmentId: w.finance.id, teamId: w.team.id, assigneeId: w.accountant.id, transferCount: 1 });

    // One history event for the move, with the reason; the routing decision after it.
    const events = (await admin.get(`/api/v1/tickets/${id}/events`)).json().items as {
      type: string;
      field: string | null;
      before: unknown;
      after: unknown;
      data: { reason?: string } | null;
    }[];
    const transferred = events.filter((e) => e.type === "transferred");
    expect(transferred).toHaveLength(1);
    expect(transferred[0]).toMatchObject({
      before: { departmentId: w.after.id, assigneeId: w.agent.id },
      after: { departmentId: w.finance.id, teamId: w.team.id, assigneeId: null },
      data: { reason: "需要财务开票" },
    });
    expect(events.filter((e) => e.field === "departmentId")).toHaveLength(0);

    // The one who transferred still sees it; 财务's supervisor was told.
    expect((await w.clients.agent.get(`/api/v1/tickets/${id}`)).json().access).toBe("participant");
    await settle();
    const bell = (await w.clients.financeLead.get("/api/v1/notifications")).json().items as {
      type: string;
      ticketId: number;
      data: Record<string, unknown>;
    }[];
    expect(bell).toContainEqual(
      expect.objectContaining({ type: "transferred", ticketId: id, data: expect.objectContaining({ reason: "需要财务开票" }) }),
    );

    // To a named person: they own it; the reason can be switched off by the workspace.
    expect((await admin.patch("/api/v1/routing/settings", { transferReasonRequired: false })).statusCode).toBe(200);
    const toPerson = await w.clients.accountant.post(`/api/v1/tickets/${id}/transfer`, { assigneeId: w.financeLead.id });
    expect(toPerson.statusCode, toPerson.body).toBe(200);
    expect(toPerson.json()).toMatchObject({ assigneeId: w.financeLead.id, departmentId: w.finance.id, transferCount: 2 });
    expect((await admin.patch("/api/v1/routing/settings", { transferReasonRequired: true })).statusCode).toBe(200);

    // A team of another department is refused when a department is named too.
    const other = await t.factory.department();
    const wrong = await w.clients.financeLead.post(`/api/v1/tickets/${id}/transfer`, {
      departmentId: other.id,
      teamId: w.team.id,
      reason: "x",
    });
    expect(wrong.json().error.details[0].code).toBe("team_not_in_department");
  });
});
