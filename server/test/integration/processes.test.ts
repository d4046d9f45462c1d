import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
let depts: { aftersales: number; warehouse: number; finance: number; tech: number };
let people: Record<"aftersales" | "warehouse" | "finance" | "financeBoss" | "tech" | "techBoss" | "outsider", Client>;
let ids: Record<string, number>;

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  const d = {
    aftersales: (await t.factory.department("售后服务")).id,
    warehouse: (await t.factory.department("仓储物流")).id,
    finance: (await t.factory.department("财务")).id,
    tech: (await t.factory.department("技术支持")).id,
  };
  depts = d;
  const staff = {
    aftersales: await t.factory.staff({ departmentIds: [d.aftersales], name: "售后小李" }),
    warehouse: await t.factory.staff({ departmentIds: [d.warehouse], name: "仓库老王" }),
    finance: await t.factory.staff({ departmentIds: [d.finance], name: "财务小陈" }),
    financeBoss: await t.factory.staff({ departmentIds: [d.finance], role: "supervisor", name: "财务主管" }),
    tech: await t.factory.staff({ departmentIds: [d.tech], name: "工程师" }),
    techBoss: await t.factory.staff({ departmentIds: [d.tech], role: "supervisor", name: "技术主管" }),
    outsider: await t.factory.staff({ name: "旁人" }),
  };
  ids = Object.fromEntries(Object.entries(staff).map(([k, v]) => [k, v.id]));
  people = Object.fromEntries(
    await Promise.all(Object.entries(staff).map(async ([k, v]) => [k, await t.signIn(v.email, PASSWORD)] as const)),
  ) as typeof people;
});
afterAll(() => t.close());

async function publishTemplate(key: string) {
  const created = await admin.post(`/api/v1/processes/templates/${key}`, {});
  expect(created.statusCode).toBe(201);
  const published = await admin.post(`/api/v1/processes/${created.json().id}/publish`, {});
  expect(published.statusCode).toBe(200);
  return published.json();
}

async function newTicket(by: Client = admin, departmentId = depts.aftersales) {
  const customer = await t.factory.customer();
  const ticket = (
    await by.post("/api/v1/tickets", { subject: "退货退款", description: "想退货", customer: { id: customer.id }, departmentId })
  ).json();
  return { ticket, customer };
}

const myTasks = async (c: Client) =>
  (await c.get("/api/v1/tasks?scope=mine")).json().items as { id: number; name: string; ticketId: number }[];
const taskOn = async (c: Client, ticketId: number) => (await myTasks(c)).find((x) => x.ticketId === ticketId);

describe("processes (跨部门流程)", () => {
  it("跨境退换货 end to end: three departments finish their steps from their queues, a large refund needs the finance manager, the customer hears each stage", async () => {
    const def = await publishTemplate("cross_border_return");
    expect(def).toMatchObject({ currentVersion: 1, changed: false });
    const { ticket, customer } = await newTicket();
    const agent = people.aftersales;
    const started = await agent.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: def.key });
    expect(started.statusCode).toBe(201);
    expect(started.json().steps.find((s: { nodeId: string }) => s.nodeId === "review").state).toBe("active");
    // Started twice: refused.
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: def.key })).statusCode).toBe(409);

    // 售后审核 is in 售后's pool: the agent there sees it in 我的待办, the warehouse does not.
    const review = await taskOn(agent, ticket.id);
    expect(review?.name).toBe("售后审核");
    expect(await taskOn(people.warehouse, ticket.id)).toBeUndefined();
    // A form with wrong answers changes nothing and lists every problem.
    const bad = await agent.post(`/api/v1/tasks/${review?.id}/complete`, { values: { refund_amount: "很多" } });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["values.refund_amount", "values.return_reason"]);
    expect((await agent.get(`/api/v1/tasks/${review?.id}`)).json().status).toBe("active");
    const ok = await agent.post(`/api/v1/tasks/${review?.id}/complete`, { values: { return_reason: "quality", refund_amount: 6800 } });
    expect(ok.statusCode).toBe(200);
    // Twice (another tab): one success, one 409 that says why.
    const again = await agent.post(`/api/v1/tasks/${review?.id}/complete`, { values: { return_reason: "quality", refund_amount: 6800 } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("step_finished");

    // 仓库收货: the warehouse reads the ticket while it holds the step; a conditional field is required when shown.
    const receive = await taskOn(people.warehouse, ticket.id);
    expect(receive?.name).toBe("仓库收货");
    expect((await people.warehouse.get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(200);
    const missingNote = await people.warehouse.post(`/api/v1/tasks/${receive?.id}/complete`, {
      values: { received: true, condition: "damaged" },
    });
    expect(missingNote.json().error.details).toEqual([expect.objectContaining({ path: "values.damage_note", code: "required" })]);
    expect(
      (await people.warehouse.post(`/api/v1/tasks/${receive?.id}/complete`, { values: { received: true, condition: "intact" } }))
        .statusCode,
    ).toBe(200);

    // Refund approval: finance approves level 1; ¥6,800 > ¥5,000 also needs the finance supervisor.
    const approval = await taskOn(people.finance, ticket.id);
    expect(approval?.name).toBe("退款审批");
    expect((await people.finance.post(`/api/v1/tasks/${approval?.id}/complete`, { decision: "approve" })).statusCode).toBe(200);
    expect(await taskOn(people.finance, ticket.id)).toBeUndefined(); // level 2 is the supervisor's
    const level2 = await taskOn(people.financeBoss, ticket.id);
    expect(level2).toMatchObject({ name: "退款审批", level: 2 });
    expect((await people.financeBoss.post(`/api/v1/tasks/${level2?.id}/complete`, { decision: "approve" })).statusCode).toBe(200);

    const refund = await taskOn(people.finance, ticket.id);
    expect(refund?.name).toBe("财务退款");
    expect(
      (await people.finance.post(`/api/v1/tasks/${refund?.id}/complete`, { values: { refund_ref: "RF20261204001" } })).statusCode,
    ).toBe(200);

    const [instance] = (await admin.get(`/api/v1/tickets/${ticket.id}/processes`)).json().items;
    expect(instance.status).toBe("completed");
    expect(instance.values.review).toMatchObject({ refund_amount: 6800 });
    // The history names every step and who did it.
    const events = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items as { type: string; data: { name?: string } }[];
    const processEvents = events.filter((e) => e.type.startsWith("process_")).map((e) => `${e.type}:${e.data?.name ?? ""}`);
    expect(processEvents).toEqual(
      expect.arrayContaining([
        `process_started:跨境退换货`,
        "process_step_completed:售后审核",
        "process_step_completed:仓库收货",
        "process_step_approved:退款审批",
        "process_step_completed:财务退款",
        "process_completed:跨境退换货",
        "process_progress_sent:售后审核",
      ]),
    );
    // The customer sees the stages and got a message as each completed.
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    const progress = (await portal.get(`/api/v1/tickets/${ticket.id}/progress`)).json().progress;
    expect(progress.stages).toEqual([
      { name: "售后审核", state: "done" },
      { name: "仓库收货", state: "done" },
      { name: "财务退款", state: "done" },
    ]);
    const messages = (await portal.get(`/api/v1/tickets/${ticket.id}/messages`)).json().items as { bodyText: string }[];
    expect(messages.map((m) => m.bodyText).join("\n")).toMatch(/已完成「售后审核」，现在进入「仓库收货」/);
  });

  it("the customer sees the current stage while it runs, and nothing of the staff's tasks", async () => {
    const { ticket, customer } = await newTicket();
    await people.aftersales.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: "cross_border_return" });
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    const progress = (await portal.get(`/api/v1/tickets/${ticket.id}/progress`)).json().progress;
    expect(progress.stages.map((s: { state: string }) => s.state)).toEqual(["current", "upcoming", "upcoming"]);
    expect(JSON.stringify(progress)).not.toMatch(/售后小李|departmentId|assigneeId/);
    // The public status page shows the stages too, and nothing more.
    const status = (await t.anonymous.post("/api/v1/public/ticket-status", { number: ticket.number, contact: customer.email })).json();
    expect(status.stages).toEqual([
      { name: "售后审核", state: "current" },
      { name: "仓库收货", state: "upcoming" },
      { name: "财务退款", state: "upcoming" },
    ]);
    expect(status).not.toHaveProperty("id");
    expect((await portal.get("/api/v1/tasks")).statusCode).toBe(403);
    expect((await portal.get(`/api/v1/tickets/${ticket.id}/processes`)).statusCode).toBe(403);
  });

  it("a rejection goes back to the named step with its reason; a rejection needs a reason", async () => {
    const def = await publishTemplate("invoice_reissue");
    const { ticket } = await newTicket(people.aftersales);
    await people.aftersales.patch(`/api/v1/tickets/${ticket.id}`, { assigneeId: ids.aftersales });
    await people.aftersales.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: def.key });
    const register = await taskOn(people.aftersales, ticket.id);
    expect(register?.name).toBe("客服登记");
    // A pattern the tax id must match.
    const wrongTax = await people.aftersales.post(`/api/v1/tasks/${register?.id}/complete`, {
      values: { invoice_title: "某某公司", tax_id: "123" },
    });
    expect(wrongTax.json().error.details).toEqual([expect.objectContaining({ path: "values.tax_id", code: "pattern_mismatch" })]);
    await people.aftersales.post(`/api/v1/tasks/${register?.id}/complete`, {
      values: { invoice_title: "某某公司", tax_id: "91310000MA1FL0000X" },
    });
    const audit = await taskOn(people.finance, ticket.id);
    expect((await people.finance.post(`/api/v1/tasks/${audit?.id}/complete`, { decision: "reject" })).statusCode).toBe(400);
    expect(
      (await people.finance.post(`/api/v1/tasks/${audit?.id}/complete`, { decision: "reject", comment: "抬头与合同不符" })).statusCode,
    ).toBe(200);
    const again = await taskOn(people.aftersales, ticket.id);
    expect(again?.name).toBe("客服登记");
    const events = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items as {
      type: string;
      data: { name?: string; reason?: string };
    }[];
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: "process_step_rejected",
          data: expect.objectContaining({ name: "财务审核", reason: "抬头与合同不符" }),
        }),
        expect.objectContaining({ type: "process_step_returned", data: expect.objectContaining({ name: "客服登记" }) }),
      ]),
    );
  });

  it("会签: every approver of an all-of level must agree", async () => {
    const def = await publishTemplate("complaint_escalation");
    const boss = await t.factory.staff({ departmentIds: [depts.aftersales], role: "supervisor" });
    const bossClient = await t.signIn(boss.email, PASSWORD);
    const { ticket } = await newTicket(people.aftersales);
    await people.aftersales.patch(`/api/v1/tickets/${ticket.id}`, { assigneeId: ids.aftersales });
    await people.aftersales.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: def.key });
    const first = await taskOn(people.aftersales, ticket.id);
    await people.aftersales.post(`/api/v1/tasks/${first?.id}/complete`, { values: { summary: "客户投诉送货慢" } });
    const plan = await taskOn(bossClient, ticket.id);
    expect(plan?.name).toBe("主管处理");
    // An agent cannot finish the supervisor's step.
    expect((await people.aftersales.post(`/api/v1/tasks/${plan?.id}/complete`, { values: { plan: "x" } })).statusCode).toBe(403);
    await bossClient.post(`/api/v1/tasks/${plan?.id}/complete`, { values: { plan: "致歉并补偿 50 元", compensation: 50 } });
    const mine = await taskOn(bossClient, ticket.id);
    expect(mine?.name).toBe("质检会签");
    await bossClient.post(`/api/v1/tasks/${mine?.id}/complete`, { decision: "approve" });
    let [instance] = (await admin.get(`/api/v1/tickets/${ticket.id}/processes`)).json().items;
    expect(instance.status).toBe("running"); // the admin has not signed yet
    // The history names whose signature each of the two starts waits for.
    const started = (await admin.get(`/api/v1/tickets/${ticket.id}/events`))
      .json()
      .items.filter((e: { type: string; data: { name: string } }) => e.type === "process_step_started" && e.data.name === "质检会签");
    expect(started.map((e: { data: { role?: string } }) => e.data.role).sort()).toEqual(["admin", "supervisor"]);
    expect(started.map((e: { data: { level?: number } }) => e.data.level)).toEqual([1, 1]);
    const adminTask = instance.tasks.find((x: { status: string; role: string }) => x.status === "active" && x.role === "admin");
    await admin.post(`/api/v1/tasks/${adminTask.id}/complete`, { decision: "approve" });
    [instance] = (await admin.get(`/api/v1/tickets/${ticket.id}/processes`)).json().items;
    expect(instance.status).toBe("completed");
  });

  it("设备报修: the customer signs off on the portal; a refusal sends the engineer back", async () => {
    const def = await publishTemplate("device_repair");
    const { ticket, customer } = await newTicket(people.tech, depts.tech);
    await people.tech.patch(`/api/v1/tickets/${ticket.id}`, { assigneeId: ids.tech });
    await people.tech.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: def.key });
    await people.tech.post(`/api/v1/tasks/${(await taskOn(people.tech, ticket.id))?.id}/complete`, {
      values: { device_model: "LD-200", fault: "不开机" },
    });
    await people.techBoss.post(`/api/v1/tasks/${(await taskOn(people.techBoss, ticket.id))?.id}/complete`, {
      values: { visit_date: "2026-12-08" },
    });
    const onsite = async () => {
      const task = await taskOn(people.tech, ticket.id);
      expect(task?.name).toBe("上门维修");
      await people.tech.post(`/api/v1/tasks/${task?.id}/complete`, { values: { work_done: "更换电源板" } });
    };
    await onsite();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    let progress = (await portal.get(`/api/v1/tickets/${ticket.id}/progress`)).json().progress;
    expect(progress.request).toMatchObject({ name: "客户验收" });
    expect(progress.request.form.map((f: { key: string }) => f.key)).toEqual(["accepted", "remark"]);
    // The history records that the step waits for the customer (not for a pool of staff).
    const history = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items as { type: string; data: { name?: string } }[];
    expect(history.filter((e) => e.type === "process_step_started" && e.data.name === "客户验收").map((e) => e.data)).toEqual([
      expect.objectContaining({ customer: true }),
    ]);
    // Staff cannot answer for the customer: the customer's step is no staff task.
    expect((await people.tech.post(`/api/v1/tasks/${progress.request.taskId}/complete`, { values: { accepted: true } })).statusCode).toBe(
      404,
    );
    await portal.post(`/api/v1/tickets/${ticket.id}/progress/${progress.request.taskId}`, {
      values: { accepted: false, remark: "还是偶尔不开机" },
    });
    await onsite();
    progress = (await portal.get(`/api/v1/tickets/${ticket.id}/progress`)).json().progress;
    await portal.post(`/api/v1/tickets/${ticket.id}/progress/${progress.request.taskId}`, { values: { accepted: true } });
    progress = (await portal.get(`/api/v1/tickets/${ticket.id}/progress`)).json().progress;
    expect(progress).toMatchObject({ status: "completed", request: null });
  });

  it("parallel: 仓库 and 财务 work at once; the refund waits for both", async () => {
    const def = await publishTemplate("parallel_refund");
    const { ticket } = await newTicket();
    await people.aftersales.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: def.key });
    await people.aftersales.post(`/api/v1/tasks/${(await taskOn(people.aftersales, ticket.id))?.id}/complete`, {
      values: { return_reason: "wrong_item", refund_amount: 120 },
    });
    const receive = await taskOn(people.warehouse, ticket.id);
    const precheck = await taskOn(people.finance, ticket.id);
    expect([receive?.name, precheck?.name]).toEqual(["仓库收货", "财务预审"]);
    await people.finance.post(`/api/v1/tasks/${precheck?.id}/complete`, { values: { account_ok: true } });
    expect(await taskOn(people.finance, ticket.id)).toBeUndefined(); // the refund waits for the warehouse
    await people.warehouse.post(`/api/v1/tasks/${receive?.id}/complete`, { values: { received: true } });
    expect((await taskOn(people.finance, ticket.id))?.name).toBe("财务退款");
  });

  it("a supervisor cancels a running process with a reason: the step it stood at reads cancelled, its task leaves the lists", async () => {
    const def = await publishTemplate("parallel_refund");
    const { ticket } = await newTicket();
    const started = await people.aftersales.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: def.key });
    const instanceId = started.json().id as number;
    expect((await taskOn(people.aftersales, ticket.id))?.name).toBeTruthy();
    // Agents cannot; a reason is needed.
    expect((await people.aftersales.post(`/api/v1/process-instances/${instanceId}/cancel`, { reason: "客户撤回" })).statusCode).toBe(403);
    expect((await admin.post(`/api/v1/process-instances/${instanceId}/cancel`, { reason: " " })).statusCode).toBe(400);
    expect((await admin.post(`/api/v1/process-instances/${instanceId}/cancel`, { reason: "客户撤回退货申请" })).statusCode).toBe(204);

    const [run] = (await admin.get(`/api/v1/tickets/${ticket.id}/processes`)).json().items;
    expect(run.status).toBe("cancelled");
    const states = Object.fromEntries(run.steps.map((s: { name: string; state: string }) => [s.name, s.state]));
    expect(Object.values(states)).not.toContain("active");
    expect(states).toMatchObject({ 售后确认: "cancelled", 仓库收货: "waiting", 财务退款: "waiting" });
    expect(await taskOn(people.aftersales, ticket.id)).toBeUndefined();
    const events = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(events.at(-1)).toMatchObject({ type: "process_cancelled", data: expect.objectContaining({ reason: "客户撤回退货申请" }) });
    expect((await admin.post(`/api/v1/process-instances/${instanceId}/cancel`, { reason: "再取消" })).statusCode).toBe(409);
  });

  it("refuses to publish an invalid graph with each problem on its node; a missing owner sends the task to supervisors", async () => {
    const graph = {
      nodes: [
        { id: "s", type: "start" },
        { id: "a", type: "task", name: "核实", owner: { type: "staff", staffId: ids.outsider } },
        { id: "g", type: "exclusive", name: "分支" },
        { id: "b", type: "task", name: "孤立", owner: { type: "department", departmentId: depts.finance } },
        { id: "e", type: "end" },
      ],
      edges: [
        { id: "1", source: "s", target: "a" },
        { id: "2", source: "a", target: "g" },
        { id: "3", source: "g", target: "e", when: [{ field: "priority", op: "is", value: "urgent" }] },
      ],
    };
    const created = (await admin.post("/api/v1/processes", { key: "check_invalid", name: "校验", graph })).json();
    const refused = await admin.post(`/api/v1/processes/${created.id}/publish`, {});
    expect(refused.statusCode).toBe(400);
    const problems = refused.json().error.details.problems.map((p: { nodeId: string; code: string }) => `${p.nodeId}:${p.code}`);
    expect(problems).toEqual(expect.arrayContaining(["g:gateway_without_default", "b:unreachable", "b:dead_end"]));

    // Fixed: the gateway gets its default and the orphan goes. Then the named person leaves.
    graph.nodes = graph.nodes.filter((n) => n.id !== "b");
    graph.edges[2] = { id: "3", source: "g", target: "e", when: [], isDefault: true } as never;
    await admin.patch(`/api/v1/processes/${created.id}`, { graph });
    expect((await admin.post(`/api/v1/processes/${created.id}/publish`, {})).statusCode).toBe(200);
    await t.ctx.db.updateTable("staff").set({ active: false }).where("id", "=", ids.outsider).execute();
    const { ticket } = await newTicket(admin, depts.finance);
    await admin.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: "check_invalid" });
    const task = await taskOn(people.financeBoss, ticket.id);
    expect(task).toMatchObject({ name: "核实", role: "supervisor", departmentId: depts.finance, note: "owner_missing" });
    await t.ctx.db.updateTable("staff").set({ active: true }).where("id", "=", ids.outsider).execute();
  });

  it("someone outside the step's pool neither sees nor finishes it", async () => {
    const { ticket } = await newTicket();
    await people.aftersales.post(`/api/v1/tickets/${ticket.id}/processes`, { processKey: "cross_border_return" });
    const task = await taskOn(people.aftersales, ticket.id);
    expect((await people.outsider.get(`/api/v1/tasks/${task?.id}`)).statusCode).toBe(404);
    expect((await people.outsider.post(`/api/v1/tasks/${task?.id}/complete`, { values: {} })).statusCode).toBe(404);
    expect((await people.warehouse.post(`/api/v1/tasks/${task?.id}/complete`, { values: {} })).statusCode).toBe(404);
    // Claiming: first claim wins.
    expect((await people.aftersales.post(`/api/v1/tasks/${task?.id}/claim`, {})).json().assigneeId).toBe(ids.aftersales);
    const colleague = await t.factory.staff({ departmentIds: [depts.aftersales] });
    const other = await t.signIn(colleague.email, PASSWORD);
    expect((await other.post(`/api/v1/tasks/${task?.id}/claim`, {})).statusCode).toBe(403);
    // The department's supervisor sees the step, and is told a colleague has it.
    const boss = await t.factory.staff({ departmentIds: [depts.aftersales], role: "supervisor" });
    const taken = await (await t.signIn(boss.email, PASSWORD)).post(`/api/v1/tasks/${task?.id}/claim`, {});
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("step_taken");
  });

  it("starts by its rule on a new ticket; a new version leaves running instances on theirs until an admin moves them", async () => {
    const def = (await admin.get("/api/v1/processes")).json().items.find((p: { key: string }) => p.key === "invoice_reissue");
    await admin.patch(`/api/v1/processes/${def.id}`, {
      startRule: { enabled: true, when: [{ field: "priority", op: "is", value: "urgent" }] },
    });
    await admin.post(`/api/v1/processes/${def.id}/publish`, {});
    const customer = await t.factory.customer();
    const ticket = (
      await admin.post("/api/v1/tickets", {
        subject: "发票重开",
        description: "抬头错了",
        customer: { id: customer.id },
        priority: "urgent",
      })
    ).json();
    await t.ctx.jobs.drain();
    let [instance] = (await admin.get(`/api/v1/tickets/${ticket.id}/processes`)).json().items;
    expect(instance).toMatchObject({ processKey: "invoice_reissue", version: 2, status: "running" });

    // Version 3 renames the first step's id; the running instance stays on 2 until moved with a node map.
    const graph = (await admin.get(`/api/v1/processes/${def.id}`)).json().graph;
    for (const n of graph.nodes) if (n.id === "register") n.id = "register_v3";
    for (const e of graph.edges) {
      if (e.source === "register") e.source = "register_v3";
      if (e.target === "register") e.target = "register_v3";
    }
    for (const n of graph.nodes) if (n.rejectTo === "register") n.rejectTo = "register_v3";
    await admin.patch(`/api/v1/processes/${def.id}`, { graph });
    expect((await admin.post(`/api/v1/processes/${def.id}/publish`, {})).json().currentVersion).toBe(3);
    [instance] = (await admin.get(`/api/v1/tickets/${ticket.id}/processes`)).json().items;
    expect(instance.version).toBe(2);
    const without = (await admin.post(`/api/v1/processes/${def.id}/migrate`, { fromVersion: 2 })).json();
    expect(without.skipped).toEqual(
      expect.arrayContaining([expect.objectContaining({ ticketId: ticket.id, reason: "missing_nodes:register" })]),
    );
    const moved = (
      await admin.post(`/api/v1/processes/${def.id}/migrate`, { fromVersion: 2, nodeMap: { register: "register_v3" } })
    ).json();
    expect(moved.moved).toEqual(expect.arrayContaining([{ instanceId: instance.id, ticketId: ticket.id }]));
    [instance] = (await admin.get(`/api/v1/tickets/${ticket.id}/processes`)).json().items;
    expect(instance.version).toBe(3);
    expect(instance.steps.find((s: { nodeId: string }) => s.nodeId === "register_v3").state).toBe("active");
  });

  it("a dry run walks the draft with sample data", async () => {
    const def = (await admin.get("/api/v1/processes")).json().items.find((p: { key: string }) => p.key === "cross_border_return");
    const small = (await admin.post(`/api/v1/processes/${def.id}/dry-run`, { facts: { "step.review.refund_amount": 100 } })).json();
    expect(small.outcome).toBe("completed");
    expect(small.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(["start", "review", "receive", "approve", "refund", "end"]);
    const rejected = (await admin.post(`/api/v1/processes/${def.id}/dry-run`, { decisions: { approve: "reject" } })).json();
    expect(rejected.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual([
      "start",
      "review",
      "receive",
      "approve",
      "review",
      "receive",
      "approve",
      "refund",
      "end",
    ]);
  });

  it("the processes report: cycle and step times, where instances wait, rejection rates, the tickets behind them, export", async () => {
    const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    const range = `from=${today}&to=${today}`;
    const report = (await admin.get(`/api/v1/analytics/processes?${range}`)).json();
    const cross = report.items.find((p: { key: string }) => p.key === "cross_border_return");
    expect(cross).toMatchObject({ completed: 1 });
    expect(cross.started).toBeGreaterThanOrEqual(3);
    expect(cross.cycleMedianHours).not.toBeNull();
    const review = cross.steps.find((s: { nodeId: string }) => s.nodeId === "review");
    expect(review.finished).toBeGreaterThanOrEqual(1);
    expect(review.activeNow).toBeGreaterThanOrEqual(1); // the ones left at 售后审核
    const invoice = report.items.find((p: { key: string }) => p.key === "invoice_reissue");
    expect(invoice.steps.find((s: { nodeId: string }) => s.nodeId === "audit").rejectionRate).toBe(1);
    // The tickets waiting at a step open from the report.
    const waiting = (
      await admin.get(`/api/v1/analytics/processes/tickets?${range}&definitionId=${cross.definitionId}&nodeId=review&which=active`)
    ).json();
    expect(waiting.items.length).toBe(review.activeNow);
    // A supervisor sees the processes their departments worked on; an agent no report.
    const boss = (await people.financeBoss.get(`/api/v1/analytics/processes?${range}`)).json();
    expect(boss.items.map((p: { key: string }) => p.key)).toContain("cross_border_return");
    expect(boss.items.map((p: { key: string }) => p.key)).not.toContain("device_repair");
    expect((await people.aftersales.get(`/api/v1/analytics/processes?${range}`)).statusCode).toBe(403);
    const csv = await admin.get(`/api/v1/analytics/processes/export?${range}&format=csv`);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.body).toContain("售后审核");
  });
});
