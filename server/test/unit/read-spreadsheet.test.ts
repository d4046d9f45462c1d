import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { parseWhen } from "../../src/modules/imports/prepare-rows";
import { readSheet } from "../../src/modules/imports/read-spreadsheet";

describe("reading spreadsheets", () => {
  it("keeps every Chinese character of a large workbook (exceljs's stream reader split characters between chunks)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-xlsx-"));
    try {
      for (const useSharedStrings of [false, true]) {
        const file = path.join(dir, `big-${useSharedStrings}.xlsx`);
        const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
        const sheet = book.addWorksheet("台账");
        sheet.addRow(["主题", "描述"]).commit();
        const text = (i: number) => `第${i}号工单：退货申请，鞋码不合适想换大一码，客户很着急${"，请尽快处理".repeat(i % 5)}`;
        for (let i = 0; i < 8000; i++) sheet.addRow([`工单${i}`, text(i)]).commit();
        sheet.commit();
        await book.commit();
        let n = 0;
        for await (const row of readSheet(file, "xlsx")) {
          if (row.header) continue;
          expect(row.cells).toEqual([`工单${n}`, text(n)]);
          n++;
        }
        expect(n).toBe(8000);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the first tab, whatever order the workbook's parts are stored in", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-xlsx-"));
    try {
      const book = new ExcelJS.Workbook();
      // Stored as sheet1.xml but shown second; the first tab is sheet2.xml.
      const archive = book.addWorksheet("归档");
      archive.addRow(["旧表", "不要读这张"]);
      const log = book.addWorksheet("台账");
      log.addRow(["主题", "状态"]);
      for (let i = 0; i < 50; i++) log.addRow([`退货申请 ${i}`, "已解决"]);
      // The tab order (exceljs's orderNo, not in its typings).
      (archive as ExcelJS.Worksheet & { orderNo: number }).orderNo = 1;
      (log as ExcelJS.Worksheet & { orderNo: number }).orderNo = 0;
      const parts = unzipSync(new Uint8Array(await book.xlsx.writeBuffer()));
      // Stored as Excel stores a workbook whose tabs were moved: sheet1.xml first. Worksheets
      // before the shared strings, the workbook part last (exceljs's streaming reader lost such
      // late parts now and then: exceljs issues #683, #3064).
      const rank = (n: string) => (n.startsWith("xl/worksheets/") ? 0 : n === "xl/sharedStrings.xml" ? 1 : n === "xl/workbook.xml" ? 3 : 2);
      const names = Object.keys(parts).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      const reordered = Object.fromEntries(names.map((n) => [n, parts[n] as Uint8Array]));
      const file = path.join(dir, "tabs.xlsx");
      fs.writeFileSync(file, zipSync(reordered));
      for (let round = 0; round < 20; round++) {
        const rows: string[][] = [];
        for await (const row of readSheet(file, "xlsx")) rows.push(row.cells);
        expect(rows).toHaveLength(51);
        expect(rows[0]).toEqual(["主题", "状态"]);
        expect(rows[50]).toEqual(["退货申请 49", "已解决"]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads dates as people type them, in the workspace's zone", () => {
    const utc = (d: Date | undefined) => d?.toISOString();
    expect(utc(parseWhen("2025-03-01 09:15", "Asia/Shanghai"))).toBe("2025-03-01T01:15:00.000Z");
    expect(utc(parseWhen("2025/3/1", "Asia/Shanghai"))).toBe("2025-02-28T16:00:00.000Z");
    expect(utc(parseWhen("2025年3月1日 9:05", "Asia/Shanghai"))).toBe("2025-03-01T01:05:00.000Z");
    expect(utc(parseWhen("2025-03-01T09:15:00Z", "Asia/Shanghai"))).toBe("2025-03-01T09:15:00.000Z");
    expect(utc(parseWhen("2025-07-01 12:00", "Europe/Berlin"))).toBe("2025-07-01T10:00:00.000Z");
    for (const bad of ["去年春天", "2025-13-01", "2025-02-30", "2025-03-01 25:00", "12/03/2025"])
      expect(parseWhen(bad, "Asia/Shanghai")).toBeUndefined();
  });
});
