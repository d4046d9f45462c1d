import { timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { idParams, itemsOf as items } from "@loopdesk/contracts/common";
import { backupInfo, backupOverview, workspaceExport } from "@loopdesk/contracts/portability";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { SYSTEM, actorOf, recordAudit } from "../../platform/audit/audit-log";
import type { AppContext } from "../../platform/context";
import { lockHolder } from "../../platform/data-dir-lock";
import { ForbiddenError, ValidationError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { backupOverview as overview, runBackup } from "./backups";
import { exportRunningWorkspace } from "./export-running";
import { exportFile, listWorkspaceExports, requestWorkspaceExport } from "./workspace-exports";

const tags = ["data"];
const ADMIN = ["admin"] as const;

type ExportRow = Awaited<ReturnType<typeof listWorkspaceExports>>[number];
const present = (r: ExportRow) => ({
  id: r.id,
  status: r.status,
  requestedBy: r.requested_by ? { id: r.requested_by, name: r.requested_by_name ?? "" } : null,
  fileName: r.file_name,
  bytes: r.bytes === null ? null : Number(r.bytes),
  tablesDone: r.tables_done,
  tablesTotal: r.tables_total,
  rows: Number(r.rows),
  files: r.files,
  error: r.error,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** 数据 in the admin console: export everything, backups; and the local control calls of the CLI. */
export function registerPortabilityRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/workspace-exports",
    summary: "Exports of the whole workspace, newest first (kept 7 days) (admin)",
    tags,
    access: ADMIN,
    responses: { 200: items(workspaceExport) },
    handler: async () => ({ items: (await listWorkspaceExports(ctx)).map(present) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/workspace-exports",
    summary: "Export the whole workspace (every table as NDJSON, attachments, manifest) as a .tar.gz, in the background (admin)",
    tags,
    access: ADMIN,
    audit: { action: "workspace-exports.create", targetType: "workspace_export" },
    responses: { 202: workspaceExport },
    handler: async ({ reply, principal }) => {
      const row = await requestWorkspaceExport(ctx, principal.id);
      reply.code(202);
      return present({ ...row, requested_by_name: principal.name });
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/workspace-exports/:id/download",
    summary: "Download a finished export (.tar.gz); the download is recorded (admin)",
    tags,
    access: ADMIN,
    audit: { action: "workspace-exports.download", targetType: "workspace_export" },
    params: idParams,
    handler: async ({ reply, params }) => {
      const { row, file, size } = await exportFile(ctx, params.id);
      reply.headers({
        "content-type": "application/gzip",
        "content-disposition": `attachment; filename="${row.file_name}"`,
        "content-length": String(size),
        "x-content-type-options": "nosniff",
      });
      return reply.send(fs.createReadStream(file));
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/backups",
    summary: "Backups of the embedded database, their schedule and retention (admin)",
    tags,
    access: ADMIN,
    responses: { 200: backupOverview },
    handler: async () => overview(ctx),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/backups",
    summary: "Back up the embedded database and attachments now, while serving; 409 on PostgreSQL (use pg_dump/pg_basebackup) (admin)",
    tags,
    access: ADMIN,
    responses: { 201: backupInfo },
    handler: async ({ reply, req }) => {
      const info = await runBackup(ctx, actorOf(req.auth));
      reply.code(201);
      return info;
    },
  });
  // `loopdesk backup` / `loopdesk export` while the server runs: the CLI cannot open the embedded
  // database beside the server, so it asks the server, proving with the token from the lock file
  // in DATA_DIR (readable only by the account that runs Loopdesk), over loopback only.
  route(app, {
    method: "POST",
    url: "/api/v1/system/control",
    summary: "Local control by the loopdesk command (token from DATA_DIR/loopdesk.lock; loopback only)",
    tags: ["system"],
    access: "public",
    body: z.object({ action: z.enum(["backup", "export"]), out: z.string().min(1).max(4096).optional() }),
    responses: { 200: z.record(z.string(), z.unknown()) },
    handler: async ({ req, body }) => {
      const token = lockHolder(ctx.config.dataDir, { includeSelf: true })?.token;
      const given = String(req.headers["x-loopdesk-control"] ?? "");
      const loopback = ["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? "");
      if (!token || !loopback || given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token)))
        throw ForbiddenError("Local control only.");
      if (body.action === "backup") return { ...(await runBackup(ctx)) };
      if (!body.out || !path.isAbsolute(body.out)) throw ValidationError({ field: "out" }, "out must be an absolute path.");
      const manifest = await exportRunningWorkspace(ctx, body.out);
      await recordAudit(ctx.db, { action: "workspace-exports.create", actor: SYSTEM, detail: { out: body.out, via: "cli" } });
      return { out: body.out, tables: Object.keys(manifest.tables).length, files: manifest.files.count };
    },
  });
}
