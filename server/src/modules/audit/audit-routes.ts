import type { FastifyInstance } from "fastify";
import { auditExportQuery, auditPage, auditQuery, auditSettings, auditSettingsBody } from "@loopdesk/contracts/security";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { sendSpreadsheet } from "../../platform/files/spreadsheet";
import { scheduleAuditStream } from "./audit-jobs";
import { auditRows, searchAudit } from "./audit-search";
import { getAuditSettings, updateAuditSettings } from "./audit-settings";

const tags = ["audit"];
const ADMIN = ["admin"] as const;
const HEAD = [
  "id",
  "at",
  "actor_type",
  "actor_id",
  "actor_name",
  "ip",
  "action",
  "outcome",
  "target_type",
  "target_id",
  "target_name",
  "before",
  "after",
  "detail",
];

/** 审计日志 for administrators: search, export, retention and streaming to a SIEM. */
export function registerAuditRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/audit-log",
    summary: "Audit log entries, newest first (admin)",
    tags,
    access: ADMIN,
    query: auditQuery,
    responses: { 200: auditPage },
    handler: async ({ query }) => searchAudit(ctx.db, query),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/audit-log/export",
    summary: "The entries a filter finds as CSV (UTF-8 with BOM) or Excel, at most 50,000; the export itself is recorded (admin)",
    tags,
    access: ADMIN,
    audit: { action: "audit-log.export" },
    query: auditExportQuery,
    handler: async ({ reply, query }) => {
      const { format, ...filters } = query;
      const { rows, truncated } = await auditRows(ctx.db, filters);
      const json = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));
      const cells = rows.map((e) => [
        e.id,
        e.at,
        e.actor.type,
        e.actor.id ?? "",
        e.actor.name ?? "",
        e.ip ?? "",
        e.action,
        e.outcome,
        e.target.type ?? "",
        e.target.id ?? "",
        e.target.name ?? "",
        json(e.before),
        json(e.after),
        json(e.detail),
      ]);
      reply.header("x-export-truncated", String(truncated));
      return sendSpreadsheet(reply, `audit-log-${new Date().toISOString().slice(0, 10)}`, format, HEAD, cells);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/audit/settings",
    summary: "How long the audit log is kept and where it is streamed (admin)",
    tags,
    access: ADMIN,
    responses: { 200: auditSettings },
    handler: async () => getAuditSettings(ctx.db),
  });

  route(app, {
    method: "PATCH",
    url: "/api/v1/audit/settings",
    summary: "Change the retention period (30–3,650 days) or the stream (an https address with a signing secret, a syslog target) (admin)",
    tags,
    access: ADMIN,
    audit: { table: "audit_settings", id: 1 },
    body: auditSettingsBody,
    responses: { 200: auditSettings },
    handler: async ({ body }) => {
      const settings = await updateAuditSettings(ctx, body);
      if (settings.streamUrl || settings.syslogTarget) await scheduleAuditStream(ctx, 1_000);
      return settings;
    },
  });
}
