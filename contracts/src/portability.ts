import { z } from "zod";
import { isoDate } from "./common";

/** Data portability: exports of the whole workspace and backups of the embedded database. */

export const workspaceExportStatuses = ["queued", "running", "done", "failed"] as const;

export const workspaceExport = z.object({
  id: z.number().int(),
  status: z.enum(workspaceExportStatuses),
  requestedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  fileName: z.string().nullable(),
  bytes: z.number().int().nullable(),
  tablesDone: z.number().int(),
  tablesTotal: z.number().int(),
  rows: z.number().int(),
  files: z.number().int(),
  error: z.string().nullable(),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export type WorkspaceExport = z.infer<typeof workspaceExport>;

export const backupInfo = z.object({
  name: z.string(),
  createdAt: isoDate,
  migration: z.string(),
  databaseBytes: z.number().int(),
  files: z.number().int(),
  pausedMs: z.number().int(),
  tookMs: z.number().int(),
});
export type BackupInfo = z.infer<typeof backupInfo>;

export const backupOverview = z.object({
  /** False on PostgreSQL: its own tools back it up (the docs give the recipe). */
  supported: z.boolean(),
  dir: z.string(),
  intervalHours: z.number(),
  keep: z.number().int(),
  items: z.array(backupInfo),
});
export type BackupOverview = z.infer<typeof backupOverview>;
