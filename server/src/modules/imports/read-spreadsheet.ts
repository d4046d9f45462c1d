import fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { parse } from "csv-parse";
import type ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { lazyModule } from "../../platform/modules/lazy-module";

type ReaderEvent = { eventType: string; value: unknown };
/** The parts of exceljs's streaming reader used and replaced here (exceljs 4.4's own methods). */
type ReaderInternals = {
  input: unknown;
  model?: { sheets?: { rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  parse: (this: ReaderInternals) => AsyncGenerator<ReaderEvent>;
  _parseRels: (this: ReaderInternals, entry: NodeJS.ReadableStream) => Promise<void>;
  _parseWorkbook: (this: ReaderInternals, entry: NodeJS.ReadableStream) => Promise<void>;
  _parseStyles: (this: ReaderInternals, entry: NodeJS.ReadableStream) => Promise<void>;
  _parseWorksheet: (this: ReaderInternals, iterator: AsyncIterable<Buffer | string>, sheetNo: string) => Iterable<ReaderEvent>;
  _parseSharedStrings: (this: ReaderInternals, entry: NodeJS.ReadableStream) => AsyncIterable<ReaderEvent>;
};
type ZipDirectory = { files: { path: string; stream: () => NodeJS.ReadableStream }[] };
const unzipper = lazyModule<{ Open: { file: (path: string) => Promise<ZipDirectory> } }>("unzipper");

/**
 * exceljs's streaming reader reads the archive in one pass, in the order its entries are stored,
 * and that pass does not reliably deliver every entry (exceljs issues #683, #3064: cells read back
 * as `{ sharedString: n }`, or the workbook part missing, now and then — once here in CI, as a 400
 * for a good file). Instead the archive's central directory is read first, and the workbook's
 * relationships, the workbook, its shared strings and styles are parsed before any worksheet —
 * each entry still streamed from the file, a worksheet row by row — with exceljs's own parsers.
 * Worksheets come in the workbook's tab order.
 */
async function* parseInOrder(this: ReaderInternals): AsyncGenerator<ReaderEvent> {
  if (typeof this.input !== "string") throw new Error("The workbook is read from a file.");
  const { files } = await unzipper().Open.file(this.input);
  const entry = (name: string) => files.find((f) => f.path === name)?.stream();
  const rels = entry("xl/_rels/workbook.xml.rels");
  if (rels) await this._parseRels(rels);
  const book = entry("xl/workbook.xml");
  if (!book) throw new Error("The workbook part (xl/workbook.xml) is missing.");
  await this._parseWorkbook(book);
  const strings = entry("xl/sharedStrings.xml");
  if (strings) yield* this._parseSharedStrings(strings);
  const styles = entry("xl/styles.xml");
  if (styles) await this._parseStyles(styles);
  // A relationship's target is relative to xl/ (some writers give it from the root: /xl/worksheets/…).
  const tabOrder = (this.model?.sheets ?? []).map((s) => this.workbookRels?.find((r) => r.Id === s.rId)?.Target.replace(/^\/?xl\//, ""));
  const sheets = files
    .map((f) => ({ f, no: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(f.path)?.[1] }))
    .filter((s): s is { f: ZipDirectory["files"][number]; no: string } => s.no !== undefined)
    .map((s) => ({ ...s, tab: tabOrder.indexOf(`worksheets/sheet${s.no}.xml`) }))
    .sort((a, b) => (a.tab === -1 ? 1e9 : a.tab) - (b.tab === -1 ? 1e9 : b.tab) || Number(a.no) - Number(b.no));
  for (const s of sheets) yield* this._parseWorksheet(whenRead(s.f.stream), s.no);
}

/** An entry's bytes, its stream opened only when a worksheet is actually read (a skipped tab opens nothing). */
function whenRead(open: () => NodeJS.ReadableStream): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      const stream = open() as NodeJS.ReadableStream & { destroy?: () => void };
      try {
        yield* stream as AsyncIterable<Buffer>;
      } finally {
        stream.destroy?.();
      }
    },
  };
}
// exceljs's streaming reader turns each compressed chunk into text on its own, so a Chinese
// character split between two chunks becomes "�" (exceljs issues #2084, #2316; unfixed in 4.4).
// The worksheet and shared-string streams are decoded here instead, with a decoder that carries a
// split character over to the next chunk. (Both methods are exceljs's own, given our streams.)
async function* wholeCharacters(chunks: AsyncIterable<Buffer | string>) {
  const decoder = new StringDecoder("utf8");
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
const loadExcel = lazyModule<typeof ExcelJS>("exceljs");
let patched = false;
/** exceljs, loaded at the first spreadsheet read (not at start), its reader patched as above and below. */
function excel() {
  const lib = loadExcel();
  if (patched) return lib;
  patched = true;
  const readerProto = lib.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;
  readerProto.parse = parseInOrder;
  const parseWorksheet = readerProto._parseWorksheet;
  const parseSharedStrings = readerProto._parseSharedStrings;
  readerProto._parseWorksheet = function (iterator, sheetNo) {
    return parseWorksheet.call(this, wholeCharacters(iterator), sheetNo);
  };
  readerProto._parseSharedStrings = function (entry) {
    entry.setEncoding("utf8");
    return parseSharedStrings.call(this, entry);
  };
  return lib;
}

export type SheetFormat = "xlsx" | "csv";
export type SheetEncoding = "utf-8" | "utf-8-bom" | "gbk";
/** A data row: its number as the spreadsheet shows it (the header is row 1) and its cells as text. */
export type SheetRow = { row: number; cells: string[]; formulas: number[] };

/** A file we cannot read; `reason` is what the UI words (with `detail` where there is one). */
export class SpreadsheetError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** Reads the first bytes to tell an Excel workbook (a zip) from CSV text. */
export function detectFormat(file: string, name: string): SheetFormat {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return "xlsx";
  if (head[0] === 0xd0 && head[1] === 0xcf)
    throw new SpreadsheetError("old_xls", "This is an old Excel 97–2003 file (.xls): save it as .xlsx or CSV in Excel, then upload again.");
  if (/\.xlsx$/i.test(name)) throw new SpreadsheetError("not_xlsx", "The file is named .xlsx but is not an Excel workbook.");
  return "csv";
}

/**
 * The encoding of CSV text as Excel in China writes it: UTF-8 with a byte-order mark, UTF-8, or GBK
 * (GB18030's common part; "CSV" from Excel on Chinese Windows). Text that is not valid UTF-8 is
 * GBK; text valid in neither is refused.
 */
export function detectEncoding(sample: Buffer): SheetEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8-bom";
  // A sample may end inside a character: only the last three bytes may be incomplete.
  const trimmed = sample.length >= 65_536 ? sample.subarray(0, lastCharBoundary(sample)) : sample;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(trimmed);
    return "utf-8";
  } catch {}
  const text = iconv.decode(trimmed, "gbk");
  if (text.includes("\uFFFD"))
    throw new SpreadsheetError(
      "bad_encoding",
      "The file's text is neither UTF-8 nor GBK: save it from Excel as “CSV UTF-8” and upload again.",
    );
  return "gbk";
}

function lastCharBoundary(b: Buffer) {
  let end = b.length;
  for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
    if ((b[i] & 0xc0) !== 0x80) {
      end = i;
      break;
    }
  }
  return end;
}

/** The first 64 KiB of a file (enough to recognize its encoding). */
export function sampleOf(file: string) {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(65_536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every row of the first worksheet (or the CSV), streamed: a 100,000-row file never sits in memory whole. */
export async function* readSheet(file: string, format: SheetFormat): AsyncGenerator<SheetRow & { header: boolean }> {
  if (format === "csv") {
    const encoding = detectEncoding(sampleOf(file));
    const text = fs.createReadStream(file).pipe(iconv.decodeStream(encoding === "gbk" ? "gbk" : "utf-8", { stripBOM: true }));
    const parser = text.pipe(parse({ relax_column_count: true, skip_empty_lines: false, bom: true }));
    let row = 0;
    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        row++;
        if (cells.every((c) => c.trim() === "")) continue;
        yield { row, cells: cells.map((c) => c.trim()), formulas: [], header: row === 1 };
      }
    } catch (e) {
      throw new SpreadsheetError("bad_csv", `The CSV cannot be read near row ${row + 1}: ${(e as Error).message}`, { row: row + 1 });
    }
    return;
  }
  const reader = new (excel().stream.xlsx.WorkbookReader)(file, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    worksheets: "emit",
  });
  let first = true;
  try {
    for await (const sheet of reader) {
      if (!first) break;
      first = false;
      let header = true;
      for await (const r of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const cells: string[] = [];
        const formulas: number[] = [];
        r.eachCell({ includeEmpty: true }, (cell, col) => {
          const { text, formula } = cellText(cell.value);
          cells[col - 1] = text;
          if (formula) formulas.push(col - 1);
        });
        for (let i = 0; i < cells.length; i++) cells[i] ??= "";
        if (cells.every((c) => c.trim() === "")) continue;
        yield { row: r.number, cells: cells.map((c) => c.trim()), formulas, header };
        header = false;
      }
    }
  } catch (e) {
    if (e instanceof SpreadsheetError) throw e;
    throw new SpreadsheetError("bad_xlsx", `The workbook cannot be read: ${(e as Error).message}`);
  }
}

/** A cell's value as text: dates as ISO text, formulas as their last computed result (never run). */
function cellText(v: ExcelJS.CellValue): { text: string; formula?: boolean } {
  if (v === null || v === undefined) return { text: "" };
  // Excel keeps wall-clock times without a zone (exceljs hands them over as UTC): kept as written,
  // they are read in the workspace's zone like any typed date.
  if (v instanceof Date)
    return {
      text: v
        .toISOString()
        .slice(0, 19)
        .replace("T", " ")
        .replace(/ 00:00:00$/, ""),
    };
  if (typeof v === "object") {
    if ("formula" in v || "sharedFormula" in v) {
      const result = (v as ExcelJS.CellFormulaValue).result;
      return {
        text:
          result === undefined || result === null || typeof result === "object"
            ? cellText(result as ExcelJS.CellValue).text
            : String(result),
        formula: true,
      };
    }
    if ("richText" in v) return { text: v.richText.map((t) => t.text).join("") };
    if ("text" in v) return { text: String((v as { text: unknown }).text) };
    if ("error" in v) return { text: "" };
  }
  return { text: String(v) };
}
