import path from "node:path";
import type { DryRunReport } from "@loopdesk/contracts/imports";
import type { AppContext } from "../../platform/context";
import { NotFoundError } from "../../platform/errors";
import type { SourceSurvey } from "./helpdesk/foreign";

/** An import job's row, where its files live, and how the API shows it. */

/** Problems kept with a job (the count is kept whole). */
export const PROBLEMS_KEPT = 1000;

export const importsDir = (ctx: AppContext) => path.join(ctx.config.dataDir, "imports");
export const importFile = (ctx: AppContext, job: { id: number; format: string }) => path.join(importsDir(ctx), `${job.id}.${job.format}`);

export async function getImportRow(ctx: AppContext, id: number) {
  const row = await ctx.db
    .selectFrom("import_jobs as j")
    .leftJoin("staff as s", "s.id", "j.created_by")
    .selectAll("j")
    .select("s.name as created_by_name")
    .where("j.id", "=", id)
    .executeTakeFirst();
  if (!row) throw NotFoundError("Import");
  return row;
}
export type ImportRow = Awaited<ReturnType<typeof getImportRow>>;

export const presentImport = (r: ImportRow) => ({
  id: r.id,
  source: r.source,
  entity: r.entity,
  status: r.status,
  fileName: r.file_name,
  fileSize: Number(r.file_size),
  format: r.format,
  encoding: r.encoding,
  headers: r.headers,
  sample: r.sample,
  totalRows: r.total_rows,
  columns: r.columns,
  valueMap: r.value_map,
  options: { runAutomations: r.options.runAutomations ?? false },
  dryRun: (r.dry_run as DryRunReport | null) ?? null,
  survey: (r.survey as SourceSurvey | null) ?? null,
  // Where a helpdesk import reads from, without its credential.
  connection: r.options.connection ?? null,
  processedRows: r.processed_rows,
  created: r.created,
  skipped: r.skipped,
  failed: r.failed,
  problems: r.problems,
  problemCount: r.problem_count,
  error: r.error,
  createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? "" } : null,
  createdAt: r.created_at.toISOString(),
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
});
