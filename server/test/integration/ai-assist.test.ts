import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * AI assist against a local OpenAI-compatible server that records every request: off by default,
 * the key encrypted and never answered, the exact requests we send, grounded replies with their
 * citations, article drafts without the customer's data, errors and timeouts, and the call log.
 */
let t: TestApp;
let admin: Client;
let agent: Client;
let stub: http.Server;
let stubUrl: string;
type Recorded = {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: { model: string; temperature: number; messages: { role: string; content: string }[] };
};
const received: Recorded[] = [];
let mode: "ok" | "fail" | "slow" = "ok";
let answer = "";

beforeAll(async () => {
  stub = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: JSON.parse(raw) });
      if (mode === "slow") return; // never answers: the server's timeout decides
      if (mode === "fail") {
        res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"overloaded"}}');
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          choices: [{ message: { role: "assistant", content: answer } }],
          usage: { prompt_tokens: 321, completion_tokens: 45 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/v1`;
  ({ t, admin } = await appWithAdmin());
  agent = await t.signIn((await t.factory.staff({ name: "客服小林" })).email, PASSWORD);
});
afterAll(async () => {
  stub.closeAllConnections();
  await new Promise<void>((resolve) => stub.close(() => resolve()));
  await t.close();
});

let customers = 0;
async function ticket(subject: string, description: string) {
  customers++;
  const customer = await t.factory.customer({
    name: "张伟",
    email: customers === 1 ? "zhangwei@example.cn" : `zhangwei${customers}@example.cn`,
  });
  return (await admin.post("/api/v1/tickets", { subject, description, customer: { id: customer.id } })).json() as {
    id: number;
    number: number;
  };
}

describe("AI assist", () => {
  it("is off by default: nothing is sent anywhere", async () => {
    const tk = await ticket("退款没到账", "退货一周了");
    const res = await agent.post(`/api/v1/tickets/${tk.id}/ai/summary`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("ai_disabled");
    expect((await agent.get("/api/v1/ai/status")).json()).toEqual({ enabled: false });
    expect(received).toHaveLength(0);
  });

  it("an admin configures the endpoint; the key is stored encrypted and never answered back", async () => {
    expect((await agent.patch("/api/v1/ai/settings", { enabled: true })).statusCode).toBe(403);
    expect((await agent.get("/api/v1/ai/settings")).statusCode).toBe(403);
    const incomplete = await admin.patch("/api/v1/ai/settings", { enabled: true });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.details.map((d: { path: string }) => d.path)).toEqual(["baseUrl", "model"]);
    const saved = await admin.patch("/api/v1/ai/settings", {
      enabled: true,
      baseUrl: stubUrl,
      model: "qwen-plus",
      apiKey: "sk-test-secret-123",
      timeoutSeconds: 5,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ enabled: true, baseUrl: stubUrl, model: "qwen-plus", hasKey: true, timeoutSeconds: 5 });
    expect(saved.body).not.toContain("sk-test-secret-123");
    const row = await t.ctx.db.selectFrom("ai_settings").selectAll().executeTakeFirstOrThrow();
    expect(row.api_key_sealed).toMatch(/^v1:/);
    expect(row.api_key_sealed).not.toContain("sk-test-secret-123");
  });

  it("summarizes a ticket with exactly the request an OpenAI-compatible endpoint expects", async () => {
    const tk = await ticket("宽带断网", "光猫红灯闪烁，从昨晚开始上不了网");
    await agent.post(`/api/v1/tickets/${tk.id}/messages`, { body: "已派师傅明天上午上门", visibility: "public" });
    answer = "- 客户宽带断网，光猫红灯闪烁\n- 已安排师傅明天上门";
    received.length = 0;
    const res = await agent.post(`/api/v1/tickets/${tk.id}/ai/summary`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ text: answer });
    expect(received).toHaveLength(1);
    const [req] = received as [Recorded];
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBe("Bearer sk-test-secret-123");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body.model).toBe("qwen-plus");
    expect(req.body.temperature).toBe(0.2);
    expect(req.body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(req.body.messages[0]?.content).toContain("总结");
    expect(req.body.messages[1]?.content).toContain(`工单 #${tk.number}`);
    expect(req.body.messages[1]?.content).toContain("光猫红灯闪烁");
    expect(req.body.messages[1]?.content).toContain("客服: 已派师傅明天上午上门");
  });

  it("drafts a reply from the recommended articles and says which it cited", async () => {
    const created = (
      await agent.post("/api/v1/kb/articles", { title: "退款多久到账", bodyHtml: "<p>验收后原路退回，银行卡 1–3 个工作日。</p>" })
    ).json();
    await admin.post(`/api/v1/kb/articles/${created.id}/review`, { locale: "zh-CN", action: "publish" });
    const tk = await ticket("退款什么时候到账", "退货寄回去五天了，退款还没到");
    answer = "您好，仓库验收后退款会原路退回，银行卡一般 1–3 个工作日到账 [1]。";
    received.length = 0;
    const res = await agent.post(`/api/v1/tickets/${tk.id}/ai/reply-draft`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ text: answer, citations: [{ id: created.id, title: "退款多久到账", url: `/knowledge/${created.id}` }] });
    expect(received[0]?.body.messages[1]?.content).toContain("[1] 退款多久到账\n验收后原路退回");
  });

  it("drafts an article from a solved ticket; the customer's data never leaves the server", async () => {
    const tk = await ticket("张伟的发票抬头错了", "我是张伟，电话 13812345678，发票抬头少写了一个字");
    await agent.post(`/api/v1/tickets/${tk.id}/messages`, {
      body: "张先生您好，发票已作废并重新开具，电子版已发到您的邮箱。",
      visibility: "public",
      status: "solved",
    });
    answer = "发票抬头开错了怎么办\n问题：发票抬头写错。\n\n解决方法：作废后重新开具，电子版发到邮箱。";
    received.length = 0;
    const res = await agent.post(`/api/v1/tickets/${tk.id}/ai/article-draft`);
    expect(res.statusCode).toBe(201);
    const article = res.json();
    expect(article).toMatchObject({ title: "发票抬头开错了怎么办", status: "draft", visibility: "internal", sourceTicket: { id: tk.id } });
    expect(article.variants[0].working.bodyHtml).toContain("<p>解决方法：作废后重新开具，电子版发到邮箱。</p>");
    const sent = JSON.stringify(received[0]?.body);
    expect(sent).toContain("发票已作废并重新开具");
    expect(sent).not.toMatch(/张伟|张先生|13812345678|zhangwei@example\.cn/);
  });

  it("an error or a timeout answers a clear message; every call is in the log with its tokens and time", async () => {
    const tk = await ticket("设备无法开机", "按电源键没反应");
    mode = "fail";
    const failed = await agent.post(`/api/v1/tickets/${tk.id}/ai/summary`);
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error).toMatchObject({
      code: "ai_unavailable",
      message: "AI assist is unavailable: the endpoint answered HTTP 500.",
    });
    mode = "slow";
    const slow = await agent.post(`/api/v1/tickets/${tk.id}/ai/summary`);
    expect(slow.statusCode).toBe(502);
    expect(slow.json().error.message).toBe("AI assist is unavailable: no answer within 5 s.");
    mode = "ok";
    // The ticket page itself never waits on it.
    expect((await agent.get(`/api/v1/tickets/${tk.id}`)).statusCode).toBe(200);

    expect((await agent.get("/api/v1/ai/calls")).statusCode).toBe(403);
    const calls = (await admin.get("/api/v1/ai/calls")).json().items as {
      kind: string;
      status: string;
      staff: string;
      promptTokens: number | null;
      latencyMs: number;
      error: string | null;
    }[];
    expect(calls.map((c) => [c.kind, c.status])).toEqual([
      ["summary", "timeout"],
      ["summary", "error"],
      ["article", "ok"],
      ["reply", "ok"],
      ["summary", "ok"],
    ]);
    expect(calls[2]).toMatchObject({ staff: "客服小林", promptTokens: 321 });
    expect(calls[0]?.latencyMs).toBeGreaterThanOrEqual(4_900);
    expect(JSON.stringify(calls)).not.toContain("sk-test-secret-123");
  }, 30_000);
});
