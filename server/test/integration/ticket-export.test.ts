import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

describe("ticket export", () => {
  it("exports what the list shows as CSV (BOM, quoting, no formulas) and Excel, only for staff", async () => {
    const customer = await t.factory.customer();
    const mk = (subject: string, priority = "normal") =>
      admin.post("/api/v1/tickets", { subject, description: "x", priority, customer: { id: customer.id }, tags: ["导出"] });
    await mk('打印机 "卡纸", 急');
    await mk('=HYPERLINK("http://evil")', "urgent");
    const other = (await mk("不导出的工单")).json();
    await admin.patch(`/api/v1/tickets/${other.id}`, { tags: [] });

    const csv = await admin.get("/api/v1/tickets/export?tag=%E5%AF%BC%E5%87%BA&sort=created_at");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toMatch(/^attachment; filename="tickets-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.headers["x-export-truncated"]).toBe("false");
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("工单号,主题,状态,优先级,渠道,工单类型,部门,处理人,客户,标签,创建时间,更新时间,解决时间,SLA 到期");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^10001,"打印机 ""卡纸"", 急",新建,普通,api,,,,/);
    expect(lines[2]).toMatch(/^10002,"'=HYPERLINK\(""http:\/\/evil""\)",新建,紧急,/);

    const xlsx = await admin.get("/api/v1/tickets/export?format=xlsx&tag=%E5%AF%BC%E5%87%BA&sort=created_at");
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).getCell(2).value).toBe("主题");
    expect(sheet?.getRow(3).getCell(2).value).toBe('=HYPERLINK("http://evil")'); // text, not a formula
    expect(sheet?.getRow(3).getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(sheet?.rowCount).toBe(3);

    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await portal.get("/api/v1/tickets/export")).statusCode).toBe(403);
    expect((await admin.get("/api/v1/tickets/export?format=pdf")).statusCode).toBe(400);
  });
});
