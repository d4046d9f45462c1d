import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../../db/database";
import type { AppContext } from "../../platform/context";
import { snapshotDatabase } from "./backup";
import { type Manifest, type Progress, exportWorkspace } from "./workspace-archive";

/**
 * Exports the workspace this server serves without stopping it. On PostgreSQL the export reads in
 * one repeatable-read transaction beside the traffic. The embedded engine has one connection, so
 * the export would stop every request for its length: instead the database is copied (the pause
 * of a backup), opened as a second embedded database, and exported from that copy.
 */
export async function exportRunningWorkspace(ctx: AppContext, out: string, progress?: Progress): Promise<Manifest> {
  const filesRoot = path.join(ctx.config.dataDir, "files");
  if (ctx.engine === "postgres") return exportWorkspace(ctx.db, "postgres", filesRoot, out, progress);
  const copy = fs.mkdtempSync(path.join(ctx.config.dataDir, ".export-snapshot-"));
  try {
    await snapshotDatabase(ctx.db, path.join(ctx.config.dataDir, "pg"), path.join(copy, "pg"));
    const snapshot = await openDatabase({ engine: "pglite", dataDir: path.join(copy, "pg") });
    try {
      return await exportWorkspace(snapshot.db, "pglite", filesRoot, out, progress);
    } finally {
      await snapshot.close();
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
