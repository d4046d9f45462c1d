import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DryRunReport, ImportProblem } from "@loopdesk/contracts/imports";
import type ExcelJS from "exceljs";
import { lazyModule } from "../../platform/modules/lazy-module";

const excel = lazyModule<typeof ExcelJS>("exceljs");
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { IMPORT_FIELDS, guessColumns } from "../imports/import-fields";
import { type PreparedRow, rowChecker } from "../imports/prepare-rows";
import { readSheet } from "../imports/read-spreadsheet";
import { newWriteCache, writeRows } from "../imports/write-imported";
import * as talk from "./demo-conversations";
import type { Rng } from "./demo-rng";

const DAY = 86_400_000;
const HEAD = [
  "序号",
  "报修/咨询主题",
  "问题描述",
  "处理状态",
  "紧急程度",
  "问题类型",
  "处理人",
  "客户",
  "客户邮箱",
  "手机",
  "登记时间",
  "完成时间",
  "处理结果",
];
const STATES = ["已完成", "已完成", "已完成", "已关闭", "已关闭"];
const URGENCY = ["一般", "一般", "一般", "较急", "特急"];
const SURNAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "军", "杰", "娟", "涛", "明", "超", "霞", "平", "刚"];

/**
 * The spreadsheet the team kept before Loopdesk (2025年工单台账.xlsx, from September to November of
 * last year), imported through the same pipeline as the wizard a month ago: 60 rows, of which
 * two were left out (a date typed as 去年十月, a row without any contact) and one repeated row
 * skipped. The imported tickets are history in the queues, search and reports.
 */
export async function seedDemoImports(ctx: AppContext, db: Transaction<DB>, r: Rng, now: Date) {
  const admin = await db.selectFrom("staff").select("id").where("role", "=", "admin").orderBy("id").executeTakeFirst();
  const agents = await db.selectFrom("staff").select("name").where("role", "=", "agent").orderBy("id").limit(6).execute();
  if (!admin || !agents.length) return;
  const start = Date.UTC(now.getUTCFullYear() - 1, 8, 1, 1);
  const rows: string[][] = [];
  for (let i = 0; i < 58; i++) {
    const category = r.weighted(talk.categories, (c) => c.weight);
    const request = r.pick(category.cases);
    const created = new Date(start + Math.floor(r.next() * 88 * DAY) + Math.floor(r.next() * 9) * 3_600_000);
    const state = r.pick(STATES);
    const done = new Date(created.getTime() + Math.round(r.around(20, 0.8) * 3_600_000));
    const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
    const n = 100 + i;
    rows.push([
      `TZ-2025-${String(n).padStart(4, "0")}`,
      request.subject,
      request.detail,
      state,
      r.pick(URGENCY),
      category.name,
      r.pick(agents).name,
      `${r.pick(SURNAMES)}${r.pick(GIVEN)}${r.chance(0.5) ? r.pick(GIVEN) : ""}`,
      `legacy${n}@example.cn`,
      `1390000${String(n).padStart(4, "0")}`,
      local(created),
      local(done),
      request.solve,
    ]);
  }
  rows[17][10] = "去年十月"; // typed by hand, no date
  rows[41][8] = "";
  rows[41][9] = "";
  rows.push([...rows[5]]); // pasted twice
  const book = new (excel().Workbook)();
  const sheet = book.addWorksheet("工单台账");
  sheet.addRow(HEAD).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-demo-import-"));
  const file = path.join(dir, "2025年工单台账.xlsx");
  try {
    await book.xlsx.writeFile(file);
    const read: { row: number; cells: string[]; formulas: number[] }[] = [];
    let headers: string[] = [];
    for await (const row of readSheet(file, "xlsx")) {
      if (row.header) headers = row.cells;
      else read.push(row);
    }
    const columns = guessColumns(headers, IMPORT_FIELDS.tickets, []);
    const valueMap = { priority: { 一般: "normal", 较急: "high", 特急: "urgent" }, status: { 已完成: "solved" } };
    const checker = await rowChecker(db, "tickets", headers, columns, valueMap, ctx.config.timeZone);
    const seen = new Set<string>();
    const prepared: PreparedRow[] = read.map((row) => {
      const p = checker.prepare(row);
      if (seen.has(p.externalId)) p.problems.push({ row: row.row, column: "", code: "duplicate_row", value: String(7) });
      seen.add(p.externalId);
      return p;
    });
    const clean = prepared.filter((p) => !p.problems.length);
    const problems: ImportProblem[] = prepared.flatMap((p) => p.problems);
    const when = new Date(now.getTime() - 31 * DAY);
    const report: DryRunReport = {
      checkedAt: when.toISOString(),
      rows: read.length,
      ok: clean.length,
      withProblems: read.length - clean.length,
      alreadyImported: 0,
      duplicates: 1,
      warnings: 0,
      problems,
      problemCount: problems.length,
    };
    const job = await db
      .insertInto("import_jobs")
      .values({
        source: "spreadsheet",
        entity: "tickets",
        status: "done",
        file_name: "2025年工单台账.xlsx",
        file_size: fs.statSync(file).size,
        format: "xlsx",
        headers: JSON.stringify(headers),
        sample: JSON.stringify(read.slice(0, 5).map((x) => x.cells)),
        total_rows: read.length,
        columns: JSON.stringify(columns),
        value_map: JSON.stringify(valueMap),
        dry_run: JSON.stringify(report),
        processed_rows: read.length,
        created: clean.length,
        failed: read.length - clean.length,
        problems: JSON.stringify(problems),
        problem_count: problems.length,
        created_by: admin.id,
        created_at: when,
        started_at: when,
        finished_at: new Date(when.getTime() + 4000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeRows(ctx, db, { id: job.id, source: "spreadsheet", entity: "tickets", runAutomations: false }, clean, newWriteCache());
    await db
      .insertInto("import_mappings")
      .values({
        name: "旧工单台账",
        entity: "tickets",
        columns: JSON.stringify(columns),
        value_map: JSON.stringify(valueMap),
        created_by: admin.id,
      })
      .execute();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
