import { ReadRouter } from "./db/read-router";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from "fastify";
import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import type { Config } from "./config";
import { SecretBox } from "./platform/auth/secret-box";
import type { Database } from "./db/database";
import { registerAuthRoutes } from "./modules/auth/auth-routes";
import { registerSessionRoutes } from "./modules/auth/session-routes";
import { registerTwoFactorRoutes } from "./modules/auth/two-factor-routes";
import { registerAutomationJobs } from "./modules/automations/automation-jobs";
import { registerAutomationRoutes } from "./modules/automations/automation-routes";
import { registerTriggerJobs } from "./modules/automations/trigger-jobs";
import { registerCannedReplyRoutes } from "./modules/canned-replies/canned-reply-routes";
import { SESSION_COOKIE, authenticate } from "./modules/auth/session-service";
import { registerCustomFieldRoutes } from "./modules/custom-fields/custom-field-routes";
import { registerCustomerRoutes } from "./modules/customers/customer-routes";
import { registerDirectoryRoutes } from "./modules/directory/directory-routes";
import { registerFeedbackJobs } from "./modules/feedback/feedback-jobs";
import { registerFeedbackRoutes } from "./modules/feedback/feedback-routes";
import { registerVisitRoutes } from "./modules/feedback/visit-routes";
import { registerAnalyticsRoutes } from "./modules/analytics/analytics-routes";
import { registerReportScheduleRoutes } from "./modules/analytics/report-schedule-routes";
import { registerOrganizationRoutes } from "./modules/organizations/organization-routes";
import { registerSavedViewRoutes } from "./modules/saved-views/saved-view-routes";
import { registerStaffRoutes } from "./modules/staff/staff-routes";
import { registerSystemRoutes } from "./modules/system/system-routes";
import { registerNotificationJobs } from "./modules/notifications/notification-jobs";
import { registerNotificationRoutes } from "./modules/notifications/notification-routes";
import { registerOfficialCalendarJobs } from "./modules/sla/official-calendar-jobs";
import { registerSlaJobs } from "./modules/sla/sla-jobs";
import { registerAnalyticsJobs } from "./modules/analytics/analytics-jobs";
import { registerOfficialCalendarRoutes } from "./modules/sla/official-calendar-routes";
import { registerSlaRoutes } from "./modules/sla/sla-routes";
import { registerTicketJobs } from "./modules/tickets/ticket-jobs";
import { registerTicketLinkRoutes } from "./modules/tickets/ticket-link-routes";
import { registerTicketRoutes } from "./modules/tickets/ticket-routes";
import { registerSearchRoutes } from "./modules/tickets/search-routes";
import { registerTicketExportRoutes } from "./modules/tickets/ticket-export-routes";
import { registerTicketStatusRoutes } from "./modules/tickets/ticket-status-routes";
import { registerTicketStreamRoutes } from "./modules/tickets/ticket-stream-routes";
import { registerIntakeJobs } from "./modules/intake/intake-jobs";
import { registerImJobs } from "./modules/intake/im/im-jobs";
import { registerInfoRequest } from "./modules/intake/info-request";
import { registerProcessJobs } from "./modules/processes/process-jobs";
import { registerCustomerAnswers } from "./modules/processes/customer-answers";
import { registerProcessReportRoutes } from "./modules/processes/process-report-routes";
import { registerClassificationJobs } from "./modules/classification/classification-jobs";
import { registerClassificationRoutes } from "./modules/classification/classification-routes";
import { registerAiRoutes } from "./modules/ai-assist/ai-routes";
import { registerAuditJobs } from "./modules/audit/audit-jobs";
import { registerAuditRoutes } from "./modules/audit/audit-routes";
import { registerPrivacyRoutes } from "./modules/privacy/privacy-routes";
import { registerPortabilityRoutes } from "./modules/portability/portability-routes";
import { registerImportRoutes } from "./modules/imports/import-routes";
import { registerImportJobs } from "./modules/imports/run-import";
import { registerBackupJobs } from "./modules/portability/backups";
import { registerExportJobs } from "./modules/portability/workspace-exports";
import { registerSsoRoutes } from "./modules/sso/sso-routes";
import { registerSsoJobs } from "./modules/sso/sso-jobs";
import { registerRetentionJobs } from "./modules/privacy/retention";
import { registerHelpCenterPages } from "./modules/knowledge/help-center-pages";
import { registerKnowledgeRoutes } from "./modules/knowledge/knowledge-routes";
import { registerProcessRoutes } from "./modules/processes/process-routes";
import { registerTaskRoutes } from "./modules/processes/task-routes";
import { registerReplyMail } from "./modules/intake/email/reply-mail";
import { registerCrmRoutes } from "./modules/intake/crm/crm-routes";
import { registerImRoutes } from "./modules/intake/im/im-routes";
import { registerWidgetRoutes } from "./modules/intake/widget/widget-routes";
import { registerIntakeRoutes } from "./modules/intake/intake-routes";
import { registerRoutingJobs } from "./modules/routing/routing-jobs";
import { registerRoutingAdminRoutes } from "./modules/routing/routing-admin-routes";
import { registerRoutingRoutes } from "./modules/routing/routing-routes";
import { registerWebhookJobs } from "./modules/webhooks/webhook-jobs";
import { registerWebhookRoutes } from "./modules/webhooks/webhook-routes";
import type { AppContext } from "./platform/context";
import { EventBus } from "./platform/events/event-bus";
import { FileStore } from "./platform/files/file-store";
import { recordAudit } from "./platform/audit/audit-log";
import { installErrorHandler } from "./platform/http/error-handler";
import { MemoryCounter, PostgresCounter, rateLimiter } from "./platform/http/rate-limit";
import type { AuditLog } from "./platform/http/route";
import { installJsonParser } from "./platform/http/json-body";
import { buildOpenApiDocument } from "./platform/http/openapi";
import { registerEmbeddedUpkeep } from "./platform/jobs/embedded-upkeep";
import { JobQueue } from "./platform/jobs/job-queue";
import { Mailer } from "./platform/mail/mailer";
import { RealtimeHub } from "./platform/realtime/realtime-hub";

const here = path.dirname(fileURLToPath(import.meta.url));
export const VERSION = "0.1.0";

/** Wires the services every module receives; registers each module's background jobs. */
export function createContext(config: Config, database: Database, logger: Logger): AppContext {
  // The embedded engine has one connection: more than one worker loop would only queue for it.
  const realtime = new RealtimeHub(database, logger.child({ component: "realtime" }));
  const jobs = new JobQueue(database.db, logger.child({ component: "jobs" }), {
    concurrency: database.engine === "pglite" ? 1 : 4,
    changes: { count: () => realtime.emitted, committed: () => realtime.poke() },
  });
  // Another process's commit wrote events: their jobs are due now, not at the next poll.
  realtime.onPoke = () => jobs.wake();
  const files = new FileStore(path.join(config.dataDir, "files"));
  const ctx: AppContext = {
    config,
    db: database.db,
    reads: new ReadRouter(database.db, database.replica, logger.child({ component: "reads" })),
    engine: database.engine,
    logger,
    jobs,
    events: new EventBus(jobs, () => realtime.emitted++),
    files,
    realtime,
    mailer: new Mailer(config.smtp, logger.child({ component: "mail" }), (sha256) => files.open(sha256)),
    secrets: new SecretBox(config.dataDir, config.secretKey, config.previousSecretKeys),
  };
  ctx.mailer.register(jobs);
  registerTicketJobs(ctx);
  registerSlaJobs(ctx);
  registerOfficialCalendarJobs(ctx);
  registerNotificationJobs(ctx);
  registerTriggerJobs(ctx);
  registerAutomationJobs(ctx);
  registerWebhookJobs(ctx);
  registerFeedbackJobs(ctx);
  registerAnalyticsJobs(ctx);
  registerRoutingJobs(ctx);
  registerIntakeJobs(ctx);
  registerReplyMail(ctx);
  registerInfoRequest(ctx);
  registerProcessJobs(ctx);
  registerCustomerAnswers(ctx);
  registerClassificationJobs(ctx);
  registerImJobs(ctx);
  registerAuditJobs(ctx);
  registerRetentionJobs(ctx);
  registerBackupJobs(ctx);
  registerExportJobs(ctx);
  registerImportJobs(ctx);
  registerSsoJobs(ctx);
  registerEmbeddedUpkeep(ctx);
  return ctx;
}

/**
 * The pages' Content-Security-Policy: scripts only from this server (no inline script, no eval);
 * inline styles are allowed because Ant Design writes its styles at run time.
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // Per-request logs only when debugging; errors are always logged.
    loggerInstance: (ctx.config.logLevel === "debug" || ctx.config.logLevel === "trace"
      ? ctx.logger
      : ctx.logger.child({}, { level: ctx.logger.levelVal > 40 ? ctx.logger.level : "warn" })) as FastifyBaseLogger,
    // Requests Node's HTTP parser rejects still get the shared error shape.
    clientErrorHandler: (_err, socket) => {
      const body = JSON.stringify({ error: { code: "validation_failed", message: "Malformed HTTP request." } });
      if (socket.writable)
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
    },
    bodyLimit: 1024 * 1024,
    trustProxy: ctx.config.trustProxy,
    routerOptions: { maxParamLength: 1000 },
    // A path Fastify cannot decode (a cut-off %-escape) or an over-long parameter: the shared error shape too.
    frameworkErrors: (error, _req, reply) =>
      (reply as FastifyReply).code(400).send({ error: { code: "validation_failed", message: `Malformed request: ${error.message}` } }),
  });
  await ctx.realtime.start();
  app.addHook("onClose", () => ctx.realtime.stop());
  installErrorHandler(app);
  app.decorate(
    "rateLimit",
    rateLimiter(ctx.engine === "postgres" ? new PostgresCounter(ctx.db) : new MemoryCounter(), ctx.config.rateLimits),
  );
  app.decorate("auditLog", {
    record: (entry) => recordAudit(ctx.db, entry),
    // Any table's row by id, for the audit log's before and after.
    snapshot: async (table, id) =>
      (await (ctx.db as unknown as Kysely<Record<string, { id: number | string }>>)
        .selectFrom(table)
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst()) as Record<string, unknown> | undefined,
  } satisfies AuditLog);
  installJsonParser(app);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 10 }, throwFileSizeLimit: true });

  app.addHook("onRequest", async (req) => {
    if (!req.url.startsWith("/api/")) return;
    req.auth = await authenticate(ctx.db, { authorization: req.headers.authorization, sessionToken: req.cookies[SESSION_COOKIE] });
  });
  // Realtime: a request whose transaction wrote events tells every process to read them, after it committed.
  app.addHook("onRequest", async (req) => {
    req.eventsBefore = ctx.realtime.emitted;
  });
  app.addHook("onResponse", async (req) => {
    if (ctx.realtime.emitted !== req.eventsBefore) ctx.realtime.poke();
  });
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    if (ctx.config.secureCookies) reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    // The widget page is made to be embedded in customers' websites; nothing else may be framed.
    const widget = req.url === "/widget" || req.url.startsWith("/widget?");
    if (!widget) reply.header("x-frame-options", "DENY");
    // Every page gets a policy (a download or the help center brings its own, stricter one).
    const html = String(reply.getHeader("content-type") ?? "").startsWith("text/html");
    if (html && !reply.hasHeader("content-security-policy"))
      reply.header("content-security-policy", `${PAGE_CSP}; frame-ancestors ${widget ? "*" : "'none'"}`);
  });

  app.get("/healthz", async (_req, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: "ok", engine: ctx.engine, version: VERSION };
    } catch {
      return reply.code(503).send({ status: "unavailable", engine: ctx.engine });
    }
  });

  registerAuthRoutes(app, ctx);
  registerTicketExportRoutes(app, ctx);
  registerTicketRoutes(app, ctx);
  registerTicketLinkRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerTicketStreamRoutes(app, ctx);
  registerTicketStatusRoutes(app, ctx);
  registerCustomerRoutes(app, ctx);
  registerOrganizationRoutes(app, ctx);
  registerStaffRoutes(app, ctx);
  registerDirectoryRoutes(app, ctx);
  registerIntakeRoutes(app, ctx);
  registerWidgetRoutes(app, ctx);
  registerImRoutes(app, ctx);
  registerCrmRoutes(app, ctx);
  registerCustomFieldRoutes(app, ctx);
  registerSavedViewRoutes(app, ctx);
  registerSlaRoutes(app, ctx);
  registerOfficialCalendarRoutes(app, ctx);
  registerNotificationRoutes(app, ctx);
  registerAutomationRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerVisitRoutes(app, ctx);
  registerProcessRoutes(app, ctx);
  registerClassificationRoutes(app, ctx);
  registerKnowledgeRoutes(app, ctx);
  registerAiRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerPrivacyRoutes(app, ctx);
  registerPortabilityRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerSsoRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerTwoFactorRoutes(app, ctx);
  await registerHelpCenterPages(app, ctx);
  registerTaskRoutes(app, ctx);
  registerProcessReportRoutes(app, ctx);
  registerAnalyticsRoutes(app, ctx);
  registerReportScheduleRoutes(app, ctx);
  registerRoutingRoutes(app, ctx);
  registerRoutingAdminRoutes(app, ctx);
  registerCannedReplyRoutes(app, ctx);
  registerSystemRoutes(app, ctx);

  // Built at its first request, not at every start: converting every route's schemas takes about a
  // fifth of a second (issue 23: start-up time).
  let openapi: ReturnType<typeof buildOpenApiDocument> | undefined;
  app.get("/api/v1/openapi.json", async () => {
    openapi ??= buildOpenApiDocument({ version: VERSION });
    return openapi;
  });
  await registerApiDocs(app);
  await registerWebApp(app);
  return app;
}

async function registerApiDocs(app: FastifyInstance) {
  const swaggerDir = path.dirname(fileURLToPath(import.meta.resolve("swagger-ui-dist/package.json")));
  await app.register(fastifyStatic, { root: swaggerDir, prefix: "/api/docs/assets/", decorateReply: false });
  app.get("/api/docs", async (_req, reply) =>
    reply.type("text/html; charset=utf-8").send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Loopdesk API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-init.js"></script></body></html>`),
  );
  app.get("/api/docs/swagger-init.js", async (_req, reply) =>
    reply.type("application/javascript").send(`window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui" });`),
  );
}

/** Serves the built web app (web/dist) with client-side routing fallback to index.html. */
async function registerWebApp(app: FastifyInstance) {
  const dist = path.resolve(here, "../../web/dist");
  if (!fs.existsSync(path.join(dist, "index.html"))) {
    app.get("/", async (_req, reply) =>
      reply.type("text/plain; charset=utf-8").send("Loopdesk API is running. Build the web app with: npm run build --workspace web"),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: "/",
    wildcard: false,
    index: ["index.html"],
    // The build writes brotli and gzip copies; the one the browser accepts is sent as it is.
    preCompressed: true,
    // Hashed assets never change under their name: cached for a year. The page itself is always revalidated.
    setHeaders: (res, file) =>
      res.setHeader("cache-control", file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache"),
  });
  app.get("/*", async (req, reply) => {
    if (req.url.startsWith("/api/")) return reply.code(404).send({ error: { code: "not_found", message: "No such endpoint." } });
    const file = path.join(dist, req.url.split("?")[0]);
    if (file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile()) return reply.sendFile(path.relative(dist, file));
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
}
