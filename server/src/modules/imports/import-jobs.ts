import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DryRunReport, ImportEntity, ImportProblem, MappedField, ValueMap } from "@loopdesk/contracts/imports";
import { mappedFields } from "@loopdesk/contracts/imports";
import { sql } from "kysely";
import type { z } from "zod";
import type { importMappingBody } from "@loopdesk/contracts/imports";
import type { AppContext } from "../../platform/context";
import { AppError, ConflictError, ValidationError } from "../../platform/errors";
import { enqueue } from "../../platform/jobs/job-queue";
import { type ImportRow, PROBLEMS_KEPT, getImportRow, importFile, importsDir, presentImport } from "./import-rows";
import { IMPORT_FIELDS, guessColumns } from "./import-fields";
import { allowedFields, rowChecker } from "./prepare-rows";
import { SpreadsheetError, detectEncoding, detectFormat, readSheet, sampleOf } from "./read-spreadsheet";
import { alreadyImported } from "./write-imported";
import { activeDefinitions } from "../custom-fields/custom-field-service";
import { helpdeskValues } from "./helpdesk/helpdesk-jobs";

export const IMPORT_QUEUE = "imports.run";
const rejected = (reason: string, message: string, detail: Record<string, string | number> = {}) =>
  new AppError(400, "import_rejected", message, { reason, ...detail });

export async function listImports(ctx: AppContext) {
  const rows = await ctx.db
    .selectFrom("import_jobs as j")
    .leftJoin("staff as s", "s.id", "j.created_by")
    .selectAll("j")
    .select("s.name as created_by_name")
    .orderBy("j.id", "desc")
    .limit(50)
    .execute();
  return rows.map(presentImport);
}

/**
 * 上传: the file is streamed to DATA_DIR/imports (at most LOOPDESK_MAX_IMPORT_MB), recognized (xlsx, or CSV in
 * UTF-8, UTF-8 with BOM or GBK), its rows counted, and its columns guessed from the headers.
 */
export async function createImport(
  ctx: AppContext,
  staffId: number,
  entity: ImportEntity,
  fileName: string,
  stream: Readable & { truncated?: boolean },
) {
  fs.mkdirSync(importsDir(ctx), { recursive: true });
  const tmp = path.join(importsDir(ctx), `upload-${process.pid}-${Date.now()}.tmp`);
  try {
    await pipeline(stream, fs.createWriteStream(tmp));
    if (stream.truncated)
      throw new AppError(
        413,
        "payload_too_large",
        `The file is larger than ${ctx.config.maxImportBytes / 1024 / 1024} MB: split it into smaller files and import them one after another.`,
        { reason: "too_large", maxMb: ctx.config.maxImportBytes / 1024 / 1024 },
      );
    const size = fs.statSync(tmp).size;
    if (size === 0) throw rejected("empty_file", "The file is empty.");
    let format: "xlsx" | "csv";
    let encoding: string | null = null;
    let headers: string[] = [];
    const sample: string[][] = [];
    let total = 0;
    try {
      format = detectFormat(tmp, fileName);
      if (format === "csv") encoding = detectEncoding(sampleOf(tmp));
      for await (const r of readSheet(tmp, format)) {
        if (r.header) {
          headers = r.cells.map((h, i) => h || `(${i + 1})`);
          continue;
        }
        total++;
        if (sample.length < 5) sample.push(r.cells);
      }
    } catch (e) {
      if (e instanceof SpreadsheetError) throw rejected(e.reason, e.message, e.detail);
      throw e;
    }
    if (!headers.length) throw rejected("no_header", "The file has no header row: the first row must name the columns.");
    const dup = headers.find((h, i) => headers.indexOf(h) !== i);
    if (dup) throw rejected("duplicate_header", `Two columns are both named “${dup}”: give each column its own name.`, { column: dup });
    if (total === 0) throw rejected("no_rows", "The file has a header row but no data rows.");
    const defs = await activeDefinitions(ctx.db, entity === "tickets" ? "ticket" : entity === "customers" ? "customer" : "organization");
    const columns = guessColumns(headers, IMPORT_FIELDS[entity], defs);
    const row = await ctx.db
      .insertInto("import_jobs")
      .values({
        source: "spreadsheet",
        entity,
        file_name: fileName.slice(0, 300),
        file_size: size,
        format,
        encoding,
        headers: JSON.stringify(headers),
        sample: JSON.stringify(sample),
        total_rows: total,
        columns: JSON.stringify(columns),
        created_by: staffId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    fs.renameSync(tmp, importFile(ctx, { id: row.id, format }));
    return getImportRow(ctx, row.id);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** 列映射 and 值映射: which column fills which field, and what their words mean in our terms. */
export async function setImportMapping(ctx: AppContext, id: number, staffId: number, body: z.output<typeof importMappingBody>) {
  const job = await getImportRow(ctx, id);
  if (job.status !== "uploaded") throw ConflictError("This import has started: its mapping can no longer change.");
  const allowed = await allowedFields(ctx.db, job.entity);
  const issues: { path: string; code: string; message: string }[] = [];
  const used = new Map<string, string>();
  for (const [header, field] of Object.entries(body.columns)) {
    if (!job.headers.includes(header))
      issues.push({ path: `columns.${header}`, code: "unknown_column", message: `The file has no column “${header}”.` });
    else if (field && !allowed.has(field))
      issues.push({
        path: `columns.${header}`,
        code: "unknown_field",
        message: `Column “${header}” maps to “${field}”, which is not a field of ${job.entity}.`,
      });
    else if (field && used.has(field))
      issues.push({
        path: `columns.${header}`,
        code: "duplicate_field",
        message: `Columns “${used.get(field)}” and “${header}” both map to ${field}.`,
      });
    if (field) used.set(field, header);
  }
  if (issues.length) throw ValidationError(issues);
  await ctx.db
    .updateTable("import_jobs")
    .set({
      columns: JSON.stringify(body.columns),
      value_map: JSON.stringify(body.valueMap),
      // Merged: a helpdesk import's connection and cursor stay.
      options: sql`options || ${JSON.stringify(body.options)}::jsonb`,
      dry_run: null,
    })
    .where("id", "=", id)
    .execute();
  if (body.saveAs)
    await ctx.db
      .insertInto("import_mappings")
      .values({
        name: body.saveAs,
        entity: job.entity,
        columns: JSON.stringify(body.columns),
        value_map: JSON.stringify(body.valueMap),
        created_by: staffId,
      })
      .onConflict((oc) =>
        oc.columns(["entity", "name"]).doUpdateSet({ columns: JSON.stringify(body.columns), value_map: JSON.stringify(body.valueMap) }),
      )
      .execute();
  return getImportRow(ctx, id);
}

export async function listImportMappings(ctx: AppContext, entity?: ImportEntity) {
  let q = ctx.db.selectFrom("import_mappings").selectAll().orderBy("name");
  if (entity) q = q.where("entity", "=", entity);
  return (await q.execute()).map((m) => ({
    id: m.id,
    name: m.name,
    entity: m.entity,
    columns: m.columns,
    valueMap: m.value_map,
    createdAt: m.created_at.toISOString(),
  }));
}

async function checkerFor(ctx: AppContext, job: ImportRow) {
  return rowChecker(ctx.db, job.entity, job.headers, job.columns, job.value_map as ValueMap, ctx.config.timeZone);
}

/** Their distinct words in each mapped column (up to 200 each), with what each maps to now. */
export async function distinctValues(ctx: AppContext, id: number) {
  const job = await getImportRow(ctx, id);
  if (job.source !== "spreadsheet") return helpdeskValues(ctx, job);
  const checker = await checkerFor(ctx, job);
  const columnOf = new Map(Object.entries(job.columns).map(([h, f]) => [f, job.headers.indexOf(h)]));
  const counts = new Map<MappedField, Map<string, number>>();
  for await (const r of readSheet(importFile(ctx, job), job.format as "csv")) {
    if (r.header) continue;
    for (const field of mappedFields) {
      const i = columnOf.get(field);
      const word = i === undefined ? "" : r.cells[i];
      if (!word) continue;
      const seen = counts.get(field) ?? new Map<string, number>();
      counts.set(field, seen);
      if (seen.has(word) || seen.size < 200) seen.set(word, (seen.get(word) ?? 0) + 1);
    }
  }
  const out: Partial<Record<MappedField, { value: string; rows: number; mapped: string | number | null; known: boolean }[]>> = {};
  for (const [field, seen] of counts)
    out[field] = [...seen.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([value, rows]) => ({ value, rows, ...checker.mappedValue(field, value) }));
  return out;
}

function requiredMapping(job: ImportRow) {
  // Another helpdesk's fields are known: nothing to map to start.
  if (job.source !== "spreadsheet") return;
  const fields = new Set(Object.values(job.columns));
  const need = job.entity === "tickets" ? ["subject"] : job.entity === "customers" ? [] : ["name"];
  const missing = need.filter((f) => !fields.has(f));
  if (job.entity !== "organizations" && !["customerEmail", "customerPhone", "email", "phone"].some((f) => fields.has(f)))
    missing.push(job.entity === "tickets" ? "customerEmail" : "email");
  if (missing.length)
    throw ValidationError(
      missing.map((f) => ({ path: `columns.${f}`, code: "field_unmapped", message: `No column is mapped to ${f}.` })),
      `Map a column to ${missing.join(", ")} first.`,
    );
}

/**
 * 试导入: every row checked as the import would, nothing written. Problems name the row and the
 * column; rows already imported (same external id) and repeated rows in the file are counted.
 */
export async function dryRunImport(ctx: AppContext, id: number): Promise<DryRunReport> {
  const job = await getImportRow(ctx, id);
  if (job.source !== "spreadsheet") throw ConflictError("An import from another helpdesk is checked when it is connected (its survey).");
  requiredMapping(job);
  const checker = await checkerFor(ctx, job);
  const seen = new Map<string, number>();
  const problems: ImportProblem[] = [];
  let rows = 0;
  let ok = 0;
  let withProblems = 0;
  let duplicates = 0;
  let warnings = 0;
  let alreadyCount = 0;
  let pending: string[] = [];
  const flush = async () => {
    alreadyCount += (await alreadyImported(ctx.db, job.source, job.entity, pending)).size;
    pending = [];
  };
  for await (const r of readSheet(importFile(ctx, job), job.format as "csv")) {
    if (r.header) continue;
    rows++;
    const prepared = checker.prepare(r);
    const first = seen.get(prepared.externalId);
    if (first !== undefined) {
      duplicates++;
      prepared.problems.push({ row: r.row, column: "", code: "duplicate_row", value: String(first) });
    } else seen.set(prepared.externalId, r.row);
    const blocking = prepared.problems.filter((p) => !p.warning);
    warnings += prepared.problems.length - blocking.length;
    if (blocking.length) withProblems++;
    else {
      ok++;
      pending.push(prepared.externalId);
      if (pending.length >= 1000) await flush();
    }
    for (const p of prepared.problems) if (problems.length < PROBLEMS_KEPT) problems.push(p);
  }
  await flush();
  const problemCount = withProblems + warnings;
  const report: DryRunReport = {
    checkedAt: new Date().toISOString(),
    rows,
    ok: ok - alreadyCount,
    withProblems,
    alreadyImported: alreadyCount,
    duplicates,
    warnings,
    problems,
    problemCount,
  };
  await ctx.db
    .updateTable("import_jobs")
    .set({ dry_run: JSON.stringify(report) })
    .where("id", "=", id)
    .execute();
  return report;
}

/** 开始导入: a durable job takes it from here (it resumes after a restart where it stopped). */
export async function startImport(ctx: AppContext, id: number) {
  const job = await getImportRow(ctx, id);
  if (job.status !== "uploaded") throw ConflictError("This import has already started.");
  requiredMapping(job);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("import_jobs").set({ status: "queued" }).where("id", "=", id).execute();
    await enqueue(trx, IMPORT_QUEUE, { importId: id });
  });
  return getImportRow(ctx, id);
}

/** Records an import brought in, for the summary's links (newest first). */
export async function importedRecords(ctx: AppContext, id: number, limit = 20) {
  const job = await getImportRow(ctx, id);
  const records = await ctx.db
    .selectFrom("import_records")
    .select("local_id")
    .where("job_id", "=", id)
    .where("entity", "=", job.entity)
    .orderBy("local_id")
    .limit(limit)
    .execute();
  const ids = records.map((r) => r.local_id);
  if (!ids.length) return [];
  if (job.entity === "tickets")
    return (await ctx.db.selectFrom("tickets").select(["id", "number", "subject"]).where("id", "in", ids).orderBy("id").execute()).map(
      (t) => ({
        id: t.id,
        label: `#${t.number} ${t.subject}`,
      }),
    );
  const table = job.entity === "customers" ? "customers" : "organizations";
  return (await ctx.db.selectFrom(table).select(["id", "name"]).where("id", "in", ids).orderBy("id").execute()).map((r) => ({
    id: r.id,
    label: r.name,
  }));
}
