import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, httpClient, spawnServer } from "../server/test/support/spawn-server";
import { ASYNC_TIMEOUT, launchBrowser, pickOption, screenshot, signInAsStaff } from "./browser";

const ADMIN = { email: "admin@routing-e2e.test", password: "e2e-password-7" };
const AGENT = { email: "xiaowang@routing-e2e.test", password: "agent-password-7", name: "小王" };
let server: RunningServer;
let browser: Browser;
let dataDir: string;
let api: Awaited<ReturnType<typeof httpClient>>;
let teamId: number;

const call = async (p: string, method: string, body?: unknown) => {
  const res = await api(p, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-e2e-routing-"));
  server = await spawnServer({
    DATA_DIR: dataDir,
    LOOPDESK_DEMO: "false",
    LOOPDESK_ADMIN_EMAIL: ADMIN.email,
    LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  });
  api = await httpClient(server.url, ADMIN.email, ADMIN.password);
  const dept = await call("/api/v1/departments", "POST", { name: "客服部" });
  const agent = await call("/api/v1/staff", "POST", {
    email: AGENT.email,
    name: AGENT.name,
    role: "agent",
    password: AGENT.password,
    departmentIds: [dept.id],
  });
  const team = await call("/api/v1/teams", "POST", { name: "电话组", departmentId: dept.id, memberIds: [agent.id] });
  teamId = team.id;
  await call("/api/v1/routing/rules", "POST", { name: "电话进线", conditions: { channels: ["phone"] }, teamId });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("routing in the browser", () => {
  it("an admin sets claim mode; an agent goes online and claims; the ticket shows why; decline re-routes; the board shows it live", async () => {
    // Admin: the team's strategy is set to 抢单 in the console.
    const admin = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsStaff(admin, server.url, ADMIN.email, ADMIN.password, "/admin/routing");
    await admin.getByRole("tab", { name: "团队策略" }).click();
    await pickOption(admin, admin.getByTestId(`strategy-${teamId}`), "抢单");
    await expect.poll(async () => (await call("/api/v1/routing/teams", "GET")).items[0].strategy, { timeout: ASYNC_TIMEOUT }).toBe("claim");
    await admin.getByRole("tab", { name: "分配规则" }).click();
    await expect.poll(() => admin.getByTestId("routing-rules").innerText()).toContain("电话进线");
    await screenshot(admin, "routing-console");

    // Agent: online from the header, then the offer appears and they claim it.
    const agent = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsStaff(agent, server.url, AGENT.email, AGENT.password);
    await pickOption(agent, agent.getByTestId("presence-switch"), "在线");
    await expect
      .poll(async () => (await call("/api/v1/routing/agents", "GET")).items.find((a: { name: string }) => a.name === AGENT.name)?.presence)
      .toBe("online");
    const ticket = await call("/api/v1/tickets", "POST", {
      subject: "紧急：电话报修 路由器坏了",
      description: "x",
      channel: "phone",
      priority: "high",
      customer: { email: "caller@routing-e2e.test" },
    });
    await agent.getByTestId("routing-link").click();
    // The offer shows how long is left to claim it (the team's time: 5 minutes).
    await agent.getByTestId(`claim-${ticket.id}`).waitFor({ timeout: 30_000 });
    expect((await agent.getByTestId("offers").textContent()) ?? "").toMatch(/剩余 [1-5] 分钟/);
    await agent.getByTestId(`claim-${ticket.id}`).click();
    await expect.poll(async () => (await call(`/api/v1/tickets/${ticket.id}`, "GET")).assigneeId).not.toBeNull();

    // The ticket page explains: score parts, team, the decisions.
    await agent.goto(`${server.url}/tickets/${ticket.id}`);
    const card = agent.getByTestId("routing-card");
    await expect.poll(() => card.innerText()).toContain("电话组");
    // Tier 普通 0 + priority high 25 + urgency word 紧急 20.
    expect(await agent.getByTestId("priority-score").innerText()).toBe("45");
    expect(await agent.getByTestId("score-urgency").innerText()).toContain("20");
    const decisions = await agent.getByTestId("routing-decisions").innerText();
    expect(decisions).toContain("发起抢单");
    expect(decisions).toContain("抢单成功");

    // Decline with a reason: nobody else can take it, so it waits in the team's queue.
    await agent.getByTestId("reject").click();
    await agent.getByTestId("routing-reason").fill("不熟悉该型号");
    await agent.getByRole("button", { name: /保\s*存/ }).click();
    await expect.poll(() => agent.getByTestId("routing-status").innerText(), { timeout: 15_000 }).toBe("排队中");
    await expect.poll(() => agent.getByTestId("routing-decisions").innerText()).toContain("拒绝");
    await screenshot(agent, "routing-ticket");

    // The supervisor's board: who is online, what waits, recent decisions.
    await admin.goto(`${server.url}/routing`);
    await admin.getByRole("tab", { name: "分配看板" }).click();
    const board = admin.getByTestId("routing-board");
    await expect.poll(() => board.innerText(), { timeout: 15_000 }).toContain(AGENT.name);
    expect(await admin.getByTestId("waiting").innerText()).toContain("电话报修");
    expect(await admin.getByTestId("recent-decisions").innerText()).toContain("拒绝");
    // Each decision links its ticket by the number people know, not the database id.
    const links = await admin.getByTestId("recent-decisions").getByRole("link").allTextContents();
    expect(links).toContain(`#${ticket.number}`);
    expect(links.every((l) => /^#\d+$/.test(l))).toBe(true);
    await screenshot(admin, "routing-board");

    // Shifts are planned in the console: a Monday 09:00–18:00 shift (today is not then: 不在班).
    await admin.goto(`${server.url}/admin/routing`);
    await admin.getByRole("tab", { name: "坐席与班次" }).click();
    await admin
      .getByTestId("agent-states")
      .getByRole("row", { name: new RegExp(AGENT.name) })
      .getByRole("button")
      .click();
    await admin.getByTestId("add-shift").click();
    await admin.getByRole("button", { name: /保\s*存/ }).click();
    await expect
      .poll(async () => (await call("/api/v1/routing/agents", "GET")).items.find((a: { name: string }) => a.name === AGENT.name)?.shifts)
      .toEqual([{ weekday: 1, start: "09:00", end: "18:00" }]);
    const now = new Date();
    const shanghai = new Date(now.getTime() + 8 * 3_600_000);
    const inShift = shanghai.getUTCDay() === 1 && shanghai.getUTCHours() >= 9 && shanghai.getUTCHours() < 18;
    const row = admin.getByTestId("agent-states").getByRole("row", { name: new RegExp(AGENT.name) });
    await expect.poll(async () => (await row.innerText()).includes("周一 09:00–18:00")).toBe(true);
    expect((await row.innerText()).includes("不在班")).toBe(!inShift);
  });
});
