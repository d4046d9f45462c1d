import fs from "node:fs";
import path from "node:path";
import type { Updateable } from "kysely";
import type { WorkspaceExportsTable } from "../../db/schema-platform";
import type { AppContext } from "../../platform/context";
import { NotFoundError } from "../../platform/errors";
import { enqueue } from "../../platform/jobs/job-queue";
import { exportRunningWorkspace } from "./export-running";
import { workspaceTables } from "./workspace-tables";

const EXPORT_QUEUE = "portability.export";
/** An export holds everyone's data: it is kept a week, then deleted. */
const KEEP_DAYS = 7;

export const exportsDir = (ctx: AppContext) => path.join(ctx.config.dataDir, "exports");

/** 导出全部数据 from the admin console: a durable job writes a .tar.gz the admin then downloads. */
export async function requestWorkspaceExport(ctx: AppContext, staffId: number) {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto("workspace_exports").values({ requested_by: staffId }).returningAll().executeTakeFirstOrThrow();
    await enqueue(trx, EXPORT_QUEUE, { exportId: row.id });
    return row;
  });
}

export async function listWorkspaceExports(ctx: AppContext) {
  await forgetOldExports(ctx);
  return ctx.db
    .selectFrom("workspace_exports as e")
    .leftJoin("staff as s", "s.id", "e.requested_by")
    .selectAll("e")
    .select("s.name as requested_by_name")
    .orderBy("e.id", "desc")
    .limit(20)
    .execute();
}

export async function exportFile(ctx: AppContext, id: number) {
  const row = await ctx.db.selectFrom("workspace_exports").selectAll().where("id", "=", id).executeTakeFirst();
  const file = row?.file_name && row.status === "done" ? path.join(exportsDir(ctx), row.file_name) : undefined;
  if (!row || !file || !fs.existsSync(file)) throw NotFoundError("Export");
  return { row, file, size: fs.statSync(file).size };
}

async function forgetOldExports(ctx: AppContext) {
  const old = await ctx.db
    .deleteFrom("workspace_exports")
    .where("created_at", "<", new Date(Date.now() - KEEP_DAYS * 86_400_000))
    .returning("file_name")
    .execute();
  for (const r of old) if (r.file_name) fs.rmSync(path.join(exportsDir(ctx), r.file_name), { force: true });
}

export function registerExportJobs(ctx: AppContext) {
  ctx.jobs.defineLeased<{ exportId: number }>({
    queue: EXPORT_QUEUE,
    leaseMs: 3_600_000,
    maxAttempts: 2,
    run: async ({ exportId }) => {
      const fileName = `loopdesk-export-${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${exportId}.tar.gz`;
      fs.mkdirSync(exportsDir(ctx), { recursive: true });
      let tablesDone = 0;
      let lastTable = "";
      let lastWrite = 0;
      const update = (values: Updateable<WorkspaceExportsTable>) =>
        ctx.db.updateTable("workspace_exports").set(values).where("id", "=", exportId).execute();
      await update({ status: "running", error: null, tables_total: (await workspaceTables(ctx.db)).length });
      try {
        const manifest = await exportRunningWorkspace(ctx, path.join(exportsDir(ctx), fileName), ({ table }) => {
          if (!table || table === lastTable) return;
          lastTable = table;
          tablesDone++;
          if (Date.now() - lastWrite > 500) {
            lastWrite = Date.now();
            void update({ tables_done: tablesDone });
          }
        });
        const tables = Object.values(manifest.tables);
        await update({
          status: "done",
          file_name: fileName,
          bytes: fs.statSync(path.join(exportsDir(ctx), fileName)).size,
          tables_done: tables.length,
          tables_total: tables.length,
          rows: tables.reduce((n, t) => n + t.rows, 0),
          files: manifest.files.count,
          finished_at: new Date(),
        });
      } catch (e) {
        await update({ status: "failed", error: (e as Error).message.slice(0, 500), finished_at: new Date() });
      }
    },
  });
}
