import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshAnalyticsNow } from "../../src/modules/analytics/analytics-jobs";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * The spreadsheet import wizard's API: an Excel file with Chinese headers and GBK/UTF-8 CSV,
 * guessed columns, value mapping, the row-by-row check and its Excel report, the import itself
 * (history only: nothing fires), a second import of the same file creating nothing, and bad input.
 */
let t: TestApp;
let admin: Client;
let agent: Client;
let categoryId: number;
let lina: { id: number; name: string; email: string };
beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  const dept = await t.factory.department("售后服务部");
  categoryId = (
    await t.ctx.db.insertInto("categories").values({ name: "退换货", department_id: dept.id }).returning("id").executeTakeFirstOrThrow()
  ).id;
  lina = await t.factory.staff({ name: "李娜", email: "lina@import.test", departmentIds: [dept.id] });
  agent = await t.signIn(lina.email, PASSWORD);
});
afterAll(() => t.close());

function upload(client: Client, entity: string, fileName: string, content: Buffer) {
  const boundary = `----import${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="entity"\r\n\r\n${entity}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request("POST", "/api/v1/imports", body, { "content-type": `multipart/form-data; boundary=${boundary}` });
}

const HEAD = [
  "工单编号",
  "主题",
  "问题描述",
  "状态",
  "优先级",
  "问题分类",
  "处理人",
  "客户姓名",
  "客户邮箱",
  "联系电话",
  "创建时间",
  "解决时间",
  "标签",
  "处理结果",
];

async function workbook(rows: (string | number | Date | { formula: string; result: string })[][]) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("去年工单");
  sheet.addRow(HEAD);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const LOG = [
  [
    "GD-001",
    "退货申请：鞋码不合适",
    "买大了一码，想退货",
    "已解决",
    "普通",
    "退换货",
    "李娜",
    "王伟",
    "wangwei@import.test",
    "13800000001",
    "2025-03-01 09:15",
    "2025-03-01 16:40",
    "退货，鞋类",
    "已安排上门取件",
  ],
  [
    "GD-002",
    "快递一直没到",
    "下单五天还没收到",
    "已关闭",
    "紧急",
    "退换货",
    "lina@import.test",
    "赵敏",
    "zhaomin@import.test",
    "",
    "2025/3/2 10:00",
    "2025/3/3 11:00",
    "",
    "已联系快递补发",
  ],
  ["GD-003", "发票抬头写错", "需要重开发票", "处理中", "高", "", "", "孙丽", "sunli@import.test", "", "2025-03-04", "", "发票", ""],
  // Problems: unknown status, a bad date, no contact, and a repeat of GD-001.
  ["GD-004", "状态不明的工单", "", "待定XYZ", "普通", "", "", "钱七", "qianqi@import.test", "", "2025-03-05", "", "", ""],
  ["GD-005", "日期错误", "", "已解决", "普通", "", "", "周八", "zhouba@import.test", "", "去年春天", "", "", ""],
  ["GD-006", "没有联系方式", "", "已解决", "普通", "", "", "吴九", "", "", "2025-03-06", "", "", ""],
  [
    "GD-001",
    "退货申请：鞋码不合适",
    "买大了一码，想退货",
    "已解决",
    "普通",
    "退换货",
    "李娜",
    "王伟",
    "wangwei@import.test",
    "13800000001",
    "2025-03-01 09:15",
    "2025-03-01 16:40",
    "退货，鞋类",
    "已安排上门取件",
  ],
];

describe("spreadsheet import", () => {
  it("imports last year's Excel log: columns guessed from Chinese headers, problems by row and column, history without side effects", async () => {
    const rows: (string | { formula: string; result: string })[][] = LOG.map((r) => [...r]);
    // A formula cell: its saved result is imported, and the report says so.
    rows[2][12] = { formula: 'HYPERLINK("http://evil.test","发票")', result: "发票" };
    const created = await upload(admin, "tickets", "去年工单.xlsx", await workbook(rows));
    expect(created.statusCode, created.body).toBe(201);
    const job = created.json();
    expect(job).toMatchObject({ format: "xlsx", totalRows: 7, status: "uploaded", entity: "tickets" });
    expect(job.columns).toMatchObject({
      工单编号: "externalId",
      主题: "subject",
      问题描述: "description",
      状态: "status",
      优先级: "priority",
      问题分类: "category",
      处理人: "assignee",
      客户姓名: "customerName",
      客户邮箱: "customerEmail",
      联系电话: "customerPhone",
      创建时间: "createdAt",
      解决时间: "solvedAt",
      标签: "tags",
      处理结果: "reply",
    });

    const values = (await admin.get(`/api/v1/imports/${job.id}/values`)).json();
    expect(values.status).toEqual(
      expect.arrayContaining([
        { value: "已解决", rows: 4, mapped: "solved", known: true },
        { value: "待定XYZ", rows: 1, mapped: null, known: false },
      ]),
    );
    expect(values.assignee).toEqual(expect.arrayContaining([{ value: "李娜", rows: 2, mapped: lina.id, known: true }]));

    // A mapping to a field that does not exist names the column.
    const wrong = await admin.request("PUT", `/api/v1/imports/${job.id}/mapping`, { columns: { ...job.columns, 标签: "shoeSize" } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0].message).toContain("标签");
    expect(
      (await admin.request("PUT", `/api/v1/imports/${job.id}/mapping`, { columns: job.columns, saveAs: "去年工单格式" })).statusCode,
    ).toBe(200);

    const dry = (await admin.post(`/api/v1/imports/${job.id}/dry-run`)).json();
    expect(dry).toMatchObject({ rows: 7, ok: 3, withProblems: 4, duplicates: 1, warnings: 1, alreadyImported: 0 });
    expect(dry.problems).toEqual(
      expect.arrayContaining([
        { row: 4, column: "标签", code: "formula_cell", warning: true, value: "发票" },
        { row: 5, column: "状态", code: "unknown_status", value: "待定XYZ" },
        { row: 6, column: "创建时间", code: "bad_date", value: "去年春天" },
        { row: 7, column: "客户邮箱", code: "contact_required" },
        { row: 8, column: "", code: "duplicate_row", value: "2" },
      ]),
    );
    expect(await t.ctx.db.selectFrom("tickets").select("id").execute()).toHaveLength(0);

    // The report as Excel, in the admin's language.
    const report = await admin.get(`/api/v1/imports/${job.id}/report`);
    expect(report.headers["content-type"]).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const lines = book.worksheets[0].getSheetValues().slice(1) as unknown[][];
    expect(lines[0].slice(1)).toEqual(["行号", "列", "值", "问题", "该行是否导入"]);
    expect(lines.map((l) => l.slice(1, 3))).toEqual(expect.arrayContaining([[6, "创建时间"]]));

    // Map the unknown status, then import.
    expect(
      (
        await admin.request("PUT", `/api/v1/imports/${job.id}/mapping`, {
          columns: job.columns,
          valueMap: { status: { 待定XYZ: "pending" } },
        })
      ).statusCode,
    ).toBe(200);
    const started = await admin.post(`/api/v1/imports/${job.id}/start`);
    expect(started.json().status).toBe("queued");
    await t.ctx.jobs.drain();
    const done = (await admin.get(`/api/v1/imports/${job.id}`)).json();
    expect(done).toMatchObject({ status: "done", processedRows: 7, created: 4, failed: 3, skipped: 0 });
    const links = (await admin.get(`/api/v1/imports/${job.id}/records`)).json().items;
    expect(links.map((l: { label: string }) => l.label.replace(/^#\d+ /, ""))).toEqual([
      "退货申请：鞋码不合适",
      "快递一直没到",
      "发票抬头写错",
      "状态不明的工单",
    ]);

    const tickets = await t.ctx.db.selectFrom("tickets").selectAll().orderBy("id").execute();
    expect(tickets.map((x) => [x.status, x.priority, x.category_id, x.assignee_id])).toEqual([
      // Solved a year ago: closed, as the auto-close would have done four days after solving.
      ["closed", "normal", categoryId, lina.id],
      ["closed", "urgent", categoryId, lina.id],
      ["open", "high", null, null],
      ["pending", "normal", null, null],
    ]);
    expect(tickets[0].created_at.toISOString()).toBe("2025-03-01T01:15:00.000Z"); // 09:15 in Shanghai
    expect(tickets[0].solved_at?.toISOString()).toBe("2025-03-01T08:40:00.000Z");
    expect(tickets[0].closed_at?.toISOString()).toBe("2025-03-05T08:40:00.000Z");
    expect(tickets[0].tags).toEqual(["退货", "鞋类"]);
    expect(tickets[2].tags).toEqual(["发票"]);
    // History only: no domain events (so no routing, SLA, triggers, notifications or webhooks), no mail.
    expect(await t.ctx.db.selectFrom("domain_events").select("id").execute()).toHaveLength(0);
    expect(await t.ctx.db.selectFrom("notifications").select("id").execute()).toHaveLength(0);
    const history = await t.ctx.db
      .selectFrom("ticket_events")
      .select(["type", "data"])
      .where("ticket_id", "=", tickets[0].id)
      .orderBy("id")
      .execute();
    expect(history.map((h) => h.type)).toEqual([
      "created",
      "assigned",
      "message_added",
      "first_response",
      "status_changed",
      "status_changed",
    ]);
    expect(history[0].data).toMatchObject({ imported: { source: "spreadsheet", importId: job.id } });
    // Searchable at once, and in the reports once analytics refreshes.
    const found = (await agent.get(`/api/v1/search?q=${encodeURIComponent("鞋码")}`)).json();
    expect(JSON.stringify(found)).toContain("退货申请");
    await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);
    const facts = await t.ctx.db.selectFrom("analytics_ticket_facts").select(["ticket_id", "res_s"]).orderBy("ticket_id").execute();
    expect(facts).toHaveLength(4);
    expect(facts[0].res_s).toBe(7 * 3600 + 25 * 60);
    const audit = (await admin.get("/api/v1/audit-log?action=imports")).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["imports.upload", "imports.start", "imports.complete"]));

    // The same file again: nothing is created twice.
    const again = (await upload(admin, "tickets", "去年工单.xlsx", await workbook(rows))).json();
    const saved = (await admin.get("/api/v1/import-mappings?entity=tickets")).json().items[0];
    expect(saved.name).toBe("去年工单格式");
    await admin.request("PUT", `/api/v1/imports/${again.id}/mapping`, {
      columns: saved.columns,
      valueMap: { status: { 待定XYZ: "pending" } },
    });
    expect((await admin.post(`/api/v1/imports/${again.id}/dry-run`)).json()).toMatchObject({ ok: 0, alreadyImported: 4 });
    await admin.post(`/api/v1/imports/${again.id}/start`);
    await t.ctx.jobs.drain();
    expect((await admin.get(`/api/v1/imports/${again.id}`)).json()).toMatchObject({ status: "done", created: 0, skipped: 4 });
    expect(await t.ctx.db.selectFrom("tickets").select("id").execute()).toHaveLength(4);
  });

  it("reads CSV in GBK and in UTF-8 with a byte-order mark, and imports customers", async () => {
    const text = "姓名,邮箱,手机,公司,客户等级\r\n张三,zhangsan@csv.test,13900000001,星辰科技,VIP\r\n李四,lisi@csv.test,,星辰科技,普通\r\n";
    for (const [name, bytes] of [
      ["客户-gbk.csv", iconv.encode(text, "gbk")],
      ["客户-bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ] as const) {
      const job = (await upload(admin, "customers", name, bytes)).json();
      expect(job.headers).toEqual(["姓名", "邮箱", "手机", "公司", "客户等级"]);
      expect(job.encoding).toBe(name.includes("gbk") ? "gbk" : "utf-8-bom");
      expect(job.columns).toEqual({ 姓名: "name", 邮箱: "email", 手机: "phone", 公司: "organization", 客户等级: "tier" });
      await admin.request("PUT", `/api/v1/imports/${job.id}/mapping`, { columns: job.columns });
      await admin.post(`/api/v1/imports/${job.id}/start`);
      await t.ctx.jobs.drain();
      expect((await admin.get(`/api/v1/imports/${job.id}`)).json().status).toBe("done");
    }
    const customers = await t.ctx.db
      .selectFrom("customers as c")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      .select(["c.name", "c.tier", "o.name as org"])
      .where("o.name", "=", "星辰科技")
      .orderBy("c.id")
      .execute();
    expect(customers).toEqual([
      { name: "张三", tier: "vip", org: "星辰科技" },
      { name: "李四", tier: "normal", org: "星辰科技" },
    ]);
  });

  it("puts tickets on the customers people already are, learning the contacts the file adds", async () => {
    const known = await t.factory.customer({ email: "known@csv.test", name: "老客户" });
    const csv = "主题,客户邮箱,手机\r\n打印机卡纸,known@csv.test,13600000009\r\n屏幕闪烁,,13600000009\r\n新问题,brand-new@csv.test,\r\n";
    const job = (await upload(admin, "tickets", "老客户.csv", Buffer.from(csv))).json();
    await admin.request("PUT", `/api/v1/imports/${job.id}/mapping`, { columns: job.columns });
    await admin.post(`/api/v1/imports/${job.id}/start`);
    await t.ctx.jobs.drain();
    expect((await admin.get(`/api/v1/imports/${job.id}`)).json()).toMatchObject({ status: "done", created: 3 });
    const rows = await t.ctx.db
      .selectFrom("tickets")
      .select(["subject", "customer_id"])
      .where("subject", "in", ["打印机卡纸", "屏幕闪烁", "新问题"])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => r.customer_id)).toEqual([known.id, known.id, expect.any(Number)]);
    expect(rows[2].customer_id).not.toBe(known.id);
    const contacts = await t.ctx.db
      .selectFrom("customer_identities")
      .select(["kind", "value"])
      .where("customer_id", "=", known.id)
      .orderBy("kind")
      .execute();
    expect(contacts).toEqual([
      { kind: "email", value: "known@csv.test" },
      { kind: "phone", value: "13600000009" },
    ]);
  });

  it("refuses bad files with a clear message, and only administrators import", async () => {
    const notXlsx = await upload(admin, "tickets", "工单.xlsx", Buffer.from("这不是 Excel 文件"));
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error).toMatchObject({
      code: "import_rejected",
      message: expect.stringContaining("not an Excel workbook"),
      details: { reason: "not_xlsx" },
    });
    const xls = await upload(admin, "tickets", "旧.xls", Buffer.from("d0cf11e0a1b11ae1000000", "hex"));
    expect(xls.json().error.message).toContain(".xls");
    const binary = await upload(admin, "tickets", "乱码.csv", Buffer.from([0x81, 0x30, 0xff, 0xfe, 0x00, 0x80, 0xff]));
    expect(binary.json().error.message).toContain("neither UTF-8 nor GBK");
    const headerOnly = await upload(admin, "tickets", "空.csv", Buffer.from("主题,邮箱\r\n"));
    expect(headerOnly.json().error.message).toContain("no data rows");
    const twice = await upload(admin, "tickets", "重复列.csv", Buffer.from("主题,主题\r\na,b\r\n"));
    expect(twice.json().error.message).toContain("主题");
    const entity = await upload(admin, "invoices", "x.csv", Buffer.from("a\r\n1\r\n"));
    expect(entity.statusCode).toBe(400);
    expect((await upload(agent, "tickets", "x.csv", Buffer.from("主题\r\n1\r\n"))).statusCode).toBe(403);
    const job = (await upload(admin, "tickets", "无邮箱.csv", Buffer.from("主题,描述\r\n打印机坏了,无法打印\r\n"))).json();
    const noContact = await admin.post(`/api/v1/imports/${job.id}/start`);
    expect(noContact.statusCode).toBe(400);
    expect(noContact.json().error.message).toContain("customerEmail");
    expect((await agent.get(`/api/v1/imports/${job.id}`)).statusCode).toBe(403);
  });

  it("refuses a file over the import limit with the limit named, and keeps nothing of it", async () => {
    const small = await appWithAdmin({ LOOPDESK_MAX_IMPORT_MB: "1" });
    try {
      const big = Buffer.from(`主题,邮箱\r\n${"很长的一行工单内容,a@b.test\r\n".repeat(60_000)}`);
      expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
      const res = await upload(small.admin, "tickets", "大文件.csv", big);
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: "payload_too_large", details: { reason: "too_large", maxMb: 1 } });
      expect((await small.admin.get("/api/v1/imports")).json().items).toHaveLength(0);
      const fs = await import("node:fs");
      const dir = `${small.t.ctx.config.dataDir}/imports`;
      expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
    } finally {
      await small.t.close();
    }
  });
});
