import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";
import { expectCleanPage, watchErrors } from "./page-checks";

const ADMIN = { email: "admin@process-e2e.test", password: "e2e-password-19" };
const AGENT = { email: "xiaoli@process-e2e.test", password: "agent-password-19", name: "小李" };
const FINANCE = { email: "xiaochen@process-e2e.test", password: "agent-password-19", name: "小陈" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let api: Awaited<ReturnType<typeof httpClient>>;
let ticketId: number;

const call = async (p: string, method: string, body?: unknown) => {
  const res = await api(p, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-process-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  const aftersales = await call("/api/v1/departments", "POST", { name: "售后服务" });
  const finance = await call("/api/v1/departments", "POST", { name: "财务" });
  for (const [who, dept] of [
    [AGENT, aftersales],
    [FINANCE, finance],
  ] as const)
    await call("/api/v1/staff", "POST", {
      email: who.email,
      name: who.name,
      role: "agent",
      password: who.password,
      departmentIds: [dept.id],
    });
  const ticket = await call("/api/v1/tickets", "POST", {
    subject: "申请退款",
    description: "收到的杯子碎了，申请退款",
    customer: { name: "王先生", email: "wang@example.cn" },
    departmentId: aftersales.id,
  });
  ticketId = ticket.id;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** An antd Select by its aria-label (the label sits on its input; pickOption reads the whole select). */
const labelled = (scope: Locator, label: string) =>
  scope.locator(".ant-select").filter({ has: scope.page().getByLabel(label, { exact: true }) });

/** Drags a connection from one node's right handle to another's left handle. */
async function connect(page: Page, from: string, to: string) {
  await page
    .locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`)
    .dragTo(page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`));
}

describe("processes in the browser", () => {
  it("an admin designs and publishes a process; an agent runs it on a ticket; finance rejects, then approves", async () => {
    const admin = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors = watchErrors(admin, "admin");
    await signInAsStaff(admin, server.url, ADMIN.email, ADMIN.password, "/admin/processes");
    await admin.getByTestId("process-new").click();
    await admin.getByLabel("流程名称").fill("退款核实");
    await admin.getByLabel("标识").fill("refund_check");
    await admin.getByRole("button", { name: /确\s*定|OK/ }).click();
    await admin.getByTestId("process-designer").waitFor();

    // A task from the palette, edited in the side panel.
    await admin.getByTestId("palette-task").click();
    const panel = admin.getByTestId("node-panel");
    await panel.getByLabel("名称", { exact: true }).fill("核实订单");
    await panel.getByLabel("客户看到的阶段").fill("核实");
    await pickOption(admin, labelled(panel, "处理方式"), "部门");
    await pickOption(admin, labelled(panel, "部门"), "售后服务");
    await panel.getByTestId("add-form-field").click();
    await panel.getByLabel("字段名称").fill("退款金额");
    await panel.getByLabel("字段标识").fill("amount");
    await pickOption(admin, labelled(panel, "字段类型"), "数字");
    await panel.getByText("必填").click();
    // Undo takes the last edit back; redo restores it.
    await admin.getByTestId("designer-undo").click();
    await expect.poll(() => panel.getByText("必填").locator("..").locator("input").isChecked()).toBe(false);
    await admin.getByTestId("designer-redo").click();
    await expect.poll(() => panel.getByText("必填").locator("..").locator("input").isChecked()).toBe(true);

    // An approval by finance; a rejection goes back to the task.
    await admin.getByTestId("palette-approval").click();
    await panel.getByLabel("名称", { exact: true }).fill("财务审批");
    await pickOption(admin, labelled(panel.getByTestId("approval-level"), "处理方式"), "部门");
    await pickOption(admin, labelled(panel.getByTestId("approval-level"), "部门"), "财务");
    await pickOption(admin, labelled(panel, "驳回后退回到"), "核实订单");

    // Not connected yet: the check pins problems to the nodes.
    await admin.getByTestId("designer-validate").click();
    await expect.poll(() => admin.getByTestId("designer-problems").innerText()).toMatch(/从开始走不到这个节点/);
    // Spread the nodes out before drawing the connections.
    await admin.getByTestId("designer-layout").click();
    await connect(admin, "start", "task1");
    await connect(admin, "task1", "appr1");
    await connect(admin, "appr1", "end");
    await admin.getByTestId("designer-layout").click();
    await admin.getByTestId("designer-validate").click();
    await expect.poll(() => admin.getByTestId("designer-problems").innerText()).toContain("没有问题");
    await admin.getByTestId("designer-publish").click();
    await expect.poll(async () => (await call("/api/v1/processes", "GET")).items[0]?.currentVersion, { timeout: ASYNC_TIMEOUT }).toBe(1);
    await screenshot(admin, "process-designer");
    await expectCleanPage(admin, "designer");

    // The agent starts it on the ticket and finishes the first step from 我的待办.
    const agent = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    errors.push(...watchErrors(agent, "agent"));
    await signInAsStaff(agent, server.url, AGENT.email, AGENT.password, `/tickets/${ticketId}`);
    await pickOption(agent, labelled(agent.getByTestId("ticket-processes"), "选择流程"), "退款核实");
    await agent.getByTestId("process-start").click();
    await expect.poll(() => agent.getByTestId("process-instance").innerText(), { timeout: ASYNC_TIMEOUT }).toContain("核实订单");
    await agent.goto(`${server.url}/tasks`);
    await agent.getByTestId("task-open").click();
    await agent.getByTestId("task-complete").click();
    await expect.poll(() => agent.getByTestId("task-form").innerText()).toContain("请填写退款金额");
    await agent.getByLabel("退款金额").fill("320");
    await agent.getByTestId("task-complete").click();
    await expect.poll(() => agent.getByTestId("task-list").innerText(), { timeout: ASYNC_TIMEOUT }).toContain("没有等您处理的待办");
    await expectCleanPage(agent, "agent tasks");

    // Finance rejects with a reason: the step goes back to the agent.
    const finance = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    errors.push(...watchErrors(finance, "finance"));
    await signInAsStaff(finance, server.url, FINANCE.email, FINANCE.password, "/tasks");
    await expect.poll(() => finance.getByTestId("task-list").innerText(), { timeout: ASYNC_TIMEOUT }).toContain("财务审批");
    await finance.getByTestId("task-open").click();
    // What the step before recorded is beside the form.
    await expect.poll(() => finance.getByTestId("earlier-steps").textContent()).toMatch(/核实订单[\s\S]*退款金额：320/);
    await finance.getByTestId("task-reject").click();
    await expect.poll(() => finance.getByTestId("task-form").innerText()).toContain("驳回时请写明原因");
    await finance.getByLabel("审批意见").fill("金额与订单不符");
    await finance.getByTestId("task-reject").click();
    await agent.reload();
    await expect.poll(() => agent.getByTestId("task-list").innerText(), { timeout: ASYNC_TIMEOUT }).toContain("核实订单");
    await agent.getByTestId("task-open").click();
    // The step comes back with finance's reason beside it.
    await expect
      .poll(() => agent.getByTestId("earlier-steps").textContent())
      .toMatch(/财务审批[\s\S]*已驳回[\s\S]*审批意见：金额与订单不符/);
    await agent.getByLabel("退款金额").fill("300");
    await agent.getByTestId("task-complete").click();

    // Then approves: the process is done and the ticket's history tells the story in words.
    await finance.reload();
    await finance.getByTestId("task-open").click();
    await finance.getByTestId("task-approve").click();
    await finance.goto(`${server.url}/tickets/${ticketId}`);
    await expect.poll(() => finance.getByTestId("process-instance").innerText(), { timeout: ASYNC_TIMEOUT }).toContain("已完成");
    const page = await finance.locator("body").innerText();
    expect(page).toContain("小陈 驳回了「财务审批」，原因：金额与订单不符");
    expect(page).toContain("流程退回到「核实订单」");
    expect(page).toContain("流程「退款核实」已完成");
    await finance.getByTestId("process-map-open").click();
    await finance.getByTestId("process-map").waitFor();
    await screenshot(finance, "process-map");
    await expectCleanPage(finance, "ticket with process");
    expect(errors).toEqual([]);
  });
});
