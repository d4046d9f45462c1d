import type ExcelJS from "exceljs";
import { lazyModule } from "../modules/lazy-module";

const excel = lazyModule<typeof ExcelJS>("exceljs");
import type { FastifyReply } from "fastify";

export type Cell = string | number;

/**
 * A cell as CSV text: quoted when needed, and a leading = + - @ defused so a spreadsheet never runs a
 * customer's text as a formula (CSV injection).
 */
function csvCell(v: Cell) {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it in the right encoding. */
export function toCsv(head: string[], rows: Cell[][]) {
  return `\uFEFF${[head, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

export async function toXlsx(head: string[], rows: Cell[][], sheetName = "Sheet1") {
  const book = new (excel().Workbook)();
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(head).font = { bold: true };
  // Text cells stay text: exceljs writes strings as shared strings, never formulas.
  for (const r of rows) sheet.addRow(r);
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Answers a table as a download: `<fileName>.<format>`, CSV (UTF-8 with BOM) or Excel. */
export async function sendSpreadsheet(reply: FastifyReply, fileName: string, format: "csv" | "xlsx", head: string[], rows: Cell[][]) {
  reply.header("content-disposition", `attachment; filename="${fileName}.${format}"`);
  if (format === "xlsx") {
    reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    return reply.send(await toXlsx(head, rows, fileName.slice(0, 31)));
  }
  reply.type("text/csv; charset=utf-8");
  return reply.send(toCsv(head, rows));
}
