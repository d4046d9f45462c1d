import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG, multipart } from "../support/multipart";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/** 知识库: articles through draft → review → published, the help center, synonyms, recommendations, reports. */
let t: TestApp;
let admin: Client;
let supervisor: Client;
let agent: Client;
let agentId: number;

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  supervisor = await t.signIn((await t.factory.staff({ role: "supervisor", name: "王主管" })).email, PASSWORD);
  const a = await t.factory.staff({ name: "客服小林" });
  agentId = a.id;
  agent = await t.signIn(a.email, PASSWORD);
});
afterAll(() => t.close());

const put = (c: Client, url: string, body: unknown) => c.request("PUT", url, body);

/** An article written by the agent and published by the supervisor. */
async function published(
  title: string,
  bodyHtml: string,
  opts: { visibility?: "public" | "internal"; categoryId?: number; tags?: string[] } = {},
) {
  const created = await agent.post("/api/v1/kb/articles", {
    title,
    bodyHtml,
    visibility: opts.visibility ?? "public",
    categoryId: opts.categoryId,
    tags: opts.tags,
  });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as number;
  expect((await supervisor.post(`/api/v1/kb/articles/${id}/review`, { locale: "zh-CN", action: "publish" })).statusCode).toBe(200);
  return id;
}

describe("knowledge base", () => {
  it("an agent drafts and submits, a supervisor sends back and then publishes; versions and their diff stay", async () => {
    const category = (
      await supervisor.post("/api/v1/kb/categories", { name: "退换货", nameEn: "Returns", description: "退货、换货与退款" })
    ).json();
    const created = await agent.post("/api/v1/kb/articles", {
      title: "如何申请退货",
      bodyHtml:
        '<p>在订单页点击<b>申请退货</b>。</p><script>alert(1)</script><img src="https://evil.example/x.png" onerror="x()"><img src="http://tracker.example/p.gif">',
      categoryId: category.id,
      visibility: "public",
      tags: ["退货"],
      reviewBy: "2020-01-01",
    });
    expect(created.statusCode).toBe(201);
    const article = created.json();
    expect(article).toMatchObject({
      status: "draft",
      pending: "draft",
      owner: { id: agentId, name: "客服小林" },
      stale: true,
      permissions: { publish: false },
    });
    const draft = article.variants[0].working;
    expect(draft.bodyHtml).not.toMatch(/script|onerror|tracker\.example/);
    expect(draft.bodyHtml).toContain('<img src="https://evil.example/x.png"');

    // Agents draft, supervisors publish.
    expect((await agent.post(`/api/v1/kb/articles/${article.id}/review`, { locale: "zh-CN", action: "publish" })).statusCode).toBe(403);
    expect((await agent.patch(`/api/v1/kb/articles/${article.id}`, { visibility: "internal" })).statusCode).toBe(403);
    expect((await agent.post(`/api/v1/kb/articles/${article.id}/review`, { locale: "zh-CN", action: "submit" })).json()).toMatchObject({
      pending: "review",
    });
    expect((await agent.get("/api/v1/kb/articles?status=review")).json().items.map((a: { id: number }) => a.id)).toContain(article.id);
    const noNote = await supervisor.post(`/api/v1/kb/articles/${article.id}/review`, { locale: "zh-CN", action: "reject" });
    expect(noNote.statusCode).toBe(400);
    const back = await supervisor.post(`/api/v1/kb/articles/${article.id}/review`, {
      locale: "zh-CN",
      action: "reject",
      note: "补充退货地址",
    });
    expect(back.json().variants[0].working).toMatchObject({ status: "draft", reviewNote: "补充退货地址", reviewer: { name: "王主管" } });

    await put(agent, `/api/v1/kb/articles/${article.id}/draft`, {
      locale: "zh-CN",
      title: "如何申请退货",
      bodyHtml: "<p>在订单页点击申请退货，寄回上海仓库。</p>",
    });
    await agent.post(`/api/v1/kb/articles/${article.id}/review`, { locale: "zh-CN", action: "submit" });
    const live = (await supervisor.post(`/api/v1/kb/articles/${article.id}/review`, { locale: "zh-CN", action: "publish" })).json();
    expect(live).toMatchObject({ status: "published", pending: null });
    expect(live.variants[0].live).toMatchObject({ number: 1, status: "published", reviewer: { name: "王主管" } });

    // A new draft on top of the live text: readers keep the live one until it is published.
    await put(agent, `/api/v1/kb/articles/${article.id}/draft`, {
      locale: "zh-CN",
      title: "如何申请退货",
      bodyHtml: "<p>在订单页点击申请退货，寄回北京仓库。</p>",
    });
    const both = (await agent.get(`/api/v1/kb/articles/${article.id}`)).json();
    expect(both.variants[0].live.bodyHtml).toContain("上海仓库");
    expect(both.variants[0].working).toMatchObject({ number: 2, status: "draft" });
    await supervisor.post(`/api/v1/kb/articles/${article.id}/review`, { locale: "zh-CN", action: "publish" });
    const versions = (await agent.get(`/api/v1/kb/articles/${article.id}/versions?locale=zh-CN`)).json().items;
    expect(versions.map((v: { number: number; status: string }) => [v.number, v.status])).toEqual([
      [2, "published"],
      [1, "superseded"],
    ]);
    const diff = (await agent.get(`/api/v1/kb/articles/${article.id}/diff?from=${versions[1].id}&to=${versions[0].id}`)).json();
    expect(diff.body).toEqual(
      expect.arrayContaining([
        { kind: "removed", text: "上海" },
        { kind: "added", text: "北京" },
      ]),
    );

    // An English variant of the same article, and the stale list.
    await put(agent, `/api/v1/kb/articles/${article.id}/draft`, {
      locale: "en",
      title: "How to return an item",
      bodyHtml: "<p>Open the order and click Return.</p>",
    });
    await supervisor.post(`/api/v1/kb/articles/${article.id}/review`, { locale: "en", action: "publish" });
    const stale = (await agent.get("/api/v1/kb/articles?status=stale")).json().items;
    expect(stale.find((a: { id: number }) => a.id === article.id)).toMatchObject({ locales: ["zh-CN", "en"], stale: true });
    await supervisor.patch(`/api/v1/kb/articles/${article.id}`, { reviewBy: "2099-01-01" });
    expect((await agent.get("/api/v1/kb/articles?status=stale")).json().items.map((a: { id: number }) => a.id)).not.toContain(article.id);
    expect((await agent.get("/api/v1/kb/categories")).json().items).toEqual([expect.objectContaining({ name: "退换货", articles: 1 })]);
  });

  it("the help center shows public published articles only: server-rendered pages, search with highlighting, feedback", async () => {
    const pub = await published("发票怎么开", "<p>在订单详情页点击“申请发票”，填写抬头和税号，电子发票会发到您的邮箱。</p>");
    const internal = await published("发票系统内部操作", "<p>在财务后台补开发票。</p>", { visibility: "internal" });
    const draft = (
      await agent.post("/api/v1/kb/articles", { title: "发票草稿", bodyHtml: "<p>未发布的发票说明</p>", visibility: "public" })
    ).json().id;

    const search = (await t.anonymous.get(`/api/v1/help/search?q=${encodeURIComponent("怎么开发票")}`)).json().items;
    expect(search.map((h: { id: number }) => h.id)).toEqual([pub]);
    expect(search[0].titleHtml).toBe("<mark>发票</mark>怎么开");
    expect(search[0].url).toBe(`/help/articles/${pub}`);
    // Staff search the internal article too.
    expect((await agent.get(`/api/v1/kb/articles?q=${encodeURIComponent("发票")}`)).json().items.map((a: { id: number }) => a.id)).toEqual(
      expect.arrayContaining([pub, internal, draft]),
    );

    const home = await t.anonymous.get("/help");
    expect(home.statusCode).toBe(200);
    expect(home.headers["content-type"]).toContain("text/html");
    expect(home.body).toContain("<title>帮助中心</title>");
    expect(home.body).toContain(`href="/help/articles/${pub}?lang=zh-CN"`);
    expect(home.body).toContain('<link rel="canonical" href="/help">');
    const page = await t.anonymous.get(`/help/articles/${pub}`);
    expect(page.body).toContain("<title>发票怎么开 - 帮助中心</title>");
    expect(page.body).toContain('<meta name="description" content="在订单详情页点击“申请发票”');
    expect((await t.anonymous.get(`/help/articles/${internal}`)).statusCode).toBe(404);
    expect((await t.anonymous.get(`/help/articles/${draft}`)).statusCode).toBe(404);
    expect((await t.anonymous.get("/help/articles/abc")).statusCode).toBe(404);
    const results = await t.anonymous.get(`/help/search?q=${encodeURIComponent("<b>发票</b>")}`);
    expect(results.body).toContain("<mark>发票</mark>怎么开");
    expect(results.body).not.toContain("<b>发票</b>");
    expect((await t.anonymous.get("/help?lang=en")).body).toContain("<title>Help Center</title>");

    const form = await t.anonymous.request("POST", `/help/articles/${pub}/feedback`, "helpful=yes", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/help/articles/${pub}?thanks=1&lang=zh-CN`);
    expect((await t.anonymous.post(`/api/v1/help/articles/${pub}/feedback`, { helpful: false, source: "widget" })).statusCode).toBe(204);
    expect((await t.anonymous.post(`/api/v1/help/articles/${internal}/feedback`, { helpful: true })).statusCode).toBe(404);
    const summary = (await agent.get(`/api/v1/kb/articles/${pub}`)).json();
    expect(summary).toMatchObject({ helpful: 1, notHelpful: 1 });
  });

  it("synonyms an admin maintains make 退钱 find the article about 退款", async () => {
    const id = await published("退款多久到账", "<p>退款审核通过后 3 个工作日内原路退回。</p>");
    const find = async () =>
      (await t.anonymous.get(`/api/v1/help/search?q=${encodeURIComponent("退钱")}`)).json().items.map((h: { id: number }) => h.id);
    expect(await find()).not.toContain(id);
    expect((await supervisor.post("/api/v1/kb/synonyms", { words: ["退款", "退钱"] })).statusCode).toBe(403);
    const ticket = (
      await admin.post("/api/v1/tickets", { subject: "退款申请", description: "订单取消了", customer: { email: "q@example.cn" } })
    ).json();
    await t.ctx.jobs.drain();
    const ticketSearch = async () =>
      (await agent.get(`/api/v1/tickets?q=${encodeURIComponent("退钱")}`)).json().items.map((x: { id: number }) => x.id);
    expect(await ticketSearch()).not.toContain(ticket.id);
    const group = await admin.post("/api/v1/kb/synonyms", { words: ["退款", "退钱", "退费"] });
    expect(group.statusCode).toBe(201);
    expect(await find()).toContain(id);
    // Ticket search uses the same synonyms.
    expect(await ticketSearch()).toContain(ticket.id);
    const hit = (await t.anonymous.get(`/api/v1/help/search?q=${encodeURIComponent("退钱")}`)).json().items[0];
    expect(hit.titleHtml).toBe("<mark>退款</mark>多久到账");
    expect((await admin.request("DELETE", `/api/v1/kb/synonyms/${group.json().id}`)).statusCode).toBe(204);
    expect(await find()).not.toContain(id);
  });

  it("images upload with the article; a public article's image is served inert to anyone, an internal one only to staff", async () => {
    const { body, headers } = multipart("图.png", PNG, "image/png");
    const file = (await agent.request("POST", "/api/v1/kb/files", body, headers)).json();
    expect(file.url).toMatch(/^\/api\/v1\/kb\/files\/\d+$/);
    // Before it is linked, only its uploader fetches it.
    expect((await t.anonymous.get(file.url)).statusCode).toBe(404);
    const id = (
      await agent.post("/api/v1/kb/articles", {
        title: "路由器指示灯说明",
        bodyHtml: `<p>见下图</p><img src="${file.url}" alt="指示灯">`,
        fileIds: [file.id],
        visibility: "public",
      })
    ).json().id;
    expect((await agent.get(`/api/v1/kb/articles/${id}`)).json().variants[0].working.bodyHtml).toContain(`<img src="${file.url}"`);
    expect((await t.anonymous.get(file.url)).statusCode).toBe(404);
    await supervisor.post(`/api/v1/kb/articles/${id}/review`, { locale: "zh-CN", action: "publish" });
    const served = await t.anonymous.get(file.url);
    expect(served.statusCode).toBe(200);
    expect(served.headers).toMatchObject({
      "content-type": "image/png",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    });
    await supervisor.patch(`/api/v1/kb/articles/${id}`, { visibility: "internal" });
    expect((await t.anonymous.get(file.url)).statusCode).toBe(404);
    expect((await agent.get(file.url)).statusCode).toBe(200);
    // Another staff member cannot take over someone's upload.
    const other = await t.signIn((await t.factory.staff()).email, PASSWORD);
    const second = (await agent.request("POST", "/api/v1/kb/files", body, headers)).json();
    expect((await other.post("/api/v1/kb/articles", { title: "x", bodyHtml: "<p>x</p>", fileIds: [second.id] })).statusCode).toBe(400);
  });

  it("a solved ticket becomes a draft without the customer's data; the ticket page recommends articles and similar solved tickets", async () => {
    const customer = await t.factory.customer({ name: "张伟", email: "zhangwei@example.cn" });
    await t.ctx.db.insertInto("customer_identities").values({ customer_id: customer.id, kind: "phone", value: "+8613812345678" }).execute();
    const solved = (
      await admin.post("/api/v1/tickets", {
        subject: "宽带断网了，光猫红灯闪烁",
        description: "我是张伟，家里宽带从昨晚开始断网，光猫 LOS 红灯一直闪，电话 13812345678，邮箱 zhangwei@example.cn",
        customer: { id: customer.id },
        tags: ["宽带"],
      })
    ).json();
    await agent.post(`/api/v1/tickets/${solved.id}/messages`, {
      body: "张先生您好，光猫红灯闪烁是光纤信号中断，已派师傅上门更换尾纤，现已恢复。",
      visibility: "public",
      status: "solved",
    });

    const open = (
      await admin.post("/api/v1/tickets", {
        subject: "光猫红灯一直闪，上不了网",
        description: "宽带断网了",
        customer: { email: "li@example.cn" },
      })
    ).json();
    await t.ctx.jobs.drain();
    expect((await agent.post(`/api/v1/tickets/${open.id}/article`)).statusCode).toBe(409);

    const drafted = await agent.post(`/api/v1/tickets/${solved.id}/article`);
    expect(drafted.statusCode).toBe(201);
    const draft = drafted.json();
    const html = draft.variants[0].working.bodyHtml as string;
    expect(html).toContain("光猫 LOS 红灯一直闪");
    expect(html).toContain("已派师傅上门更换尾纤");
    expect(html).not.toMatch(/张伟|张先生|13812345678|zhangwei@example\.cn/);
    expect(draft).toMatchObject({ visibility: "internal", status: "draft", tags: ["宽带"], sourceTicket: { id: solved.id } });

    const articleId = await published(
      "光猫红灯闪烁怎么办",
      "<p>光猫 LOS 红灯闪烁表示光纤信号中断：检查尾纤是否松动，仍不行请报修，师傅上门处理。</p>",
    );
    const recs = (await agent.get(`/api/v1/tickets/${open.id}/recommendations`)).json();
    expect(recs.articles[0]).toMatchObject({ id: articleId, answerText: expect.stringContaining("光纤信号中断") });
    expect(recs.tickets[0]).toMatchObject({ id: solved.id, resolution: expect.stringContaining("更换尾纤") });
    expect(recs.tickets.map((r: { id: number }) => r.id)).not.toContain(open.id);

    expect((await agent.post(`/api/v1/tickets/${open.id}/recommendations/uses`, { articleId, kind: "inserted" })).statusCode).toBe(204);
    await agent.post(`/api/v1/tickets/${open.id}/recommendations/uses`, { articleId, kind: "helpful" });
    await agent.post(`/api/v1/tickets/${open.id}/recommendations/uses`, { ticketId: solved.id, kind: "helpful" });
    expect((await agent.post(`/api/v1/tickets/${open.id}/recommendations/uses`, { kind: "helpful" })).statusCode).toBe(400);
    const marked = (await agent.get(`/api/v1/tickets/${open.id}/recommendations`)).json();
    expect(marked.articles[0]).toMatchObject({ helpfulMarks: 1, markedHelpful: true });
    expect(marked.tickets[0]).toMatchObject({ markedHelpful: true });

    // Customers and other callers: not theirs to read.
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await portal.get(`/api/v1/tickets/${solved.id}/recommendations`)).statusCode).toBe(403);

    await agent.post(`/api/v1/tickets/${open.id}/messages`, { body: "已处理", visibility: "public", status: "solved" });
    const today = new Date().toISOString().slice(0, 10);
    expect((await agent.get(`/api/v1/kb/report?from=${today}&to=${today}`)).statusCode).toBe(403);
    const report = (await supervisor.get(`/api/v1/kb/report?from=2020-01-01&to=2099-12-31`)).json();
    expect(report.topArticles[0]).toMatchObject({ id: articleId, resolved: 1, inserted: 1, helpful: 1 });
    expect(report.contributors.find((c: { staffId: number }) => c.staffId === agentId)).toMatchObject({ used: 1 });
    expect(report.contributors.find((c: { staffId: number }) => c.staffId === agentId).written).toBeGreaterThanOrEqual(5);
  });

  it("counts 自助解决: a visit that opened a suggested article and did not submit", async () => {
    const id = await published("修改收货地址", "<p>发货前可在订单页修改收货地址。</p>");
    const visit = (n: number) => ({ visitId: `visit-${n}-abcdefghijklmnop`, source: "widget", articleId: id, query: "改地址" });
    for (const n of [1, 2, 3]) expect((await t.anonymous.post("/api/v1/help/visits", visit(n))).statusCode).toBe(204);
    expect((await t.anonymous.post("/api/v1/help/visits", { ...visit(4), visitId: "short" })).statusCode).toBe(400);
    await t.anonymous.post(`/api/v1/help/visits/${visit(3).visitId}/submitted`);
    // Settled visits: opened more than half an hour ago.
    await t.ctx.db
      .updateTable("kb_help_visits")
      .set({ opened_at: new Date(Date.now() - 3_600_000) })
      .execute();
    const report = (await supervisor.get("/api/v1/kb/report?from=2020-01-01&to=2099-12-31")).json();
    expect(report.deflection).toMatchObject({ visits: 3, deflected: 2, submitted: 1, rate: 0.667 });
  });
});
