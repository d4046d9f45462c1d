import { idParams, itemsOf as items } from "@loopdesk/contracts/common";
import {
  distinctValue,
  dryRunReport,
  importEntities,
  importJob,
  importMapping,
  importMappingBody,
  importRecordLink,
  mappedFields,
  osTicketBody,
  zendeskApiBody,
} from "@loopdesk/contracts/imports";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../../platform/context";
import { AppError, ValidationError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import {
  createImport,
  distinctValues,
  dryRunImport,
  importedRecords,
  listImportMappings,
  listImports,
  setImportMapping,
  startImport,
} from "./import-jobs";
import { getImportRow, presentImport } from "./import-rows";
import { createOsTicketImport, createZendeskApiImport, createZendeskExportImport } from "./helpdesk/helpdesk-jobs";
import { problemWorkbook } from "./import-report";

const tags = ["imports"];
const ADMIN = ["admin"] as const;

/** 数据导入: the spreadsheet import wizard's steps, for administrators. */
export function registerImportRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/imports",
    summary: "Imports, newest first (admin)",
    tags,
    access: ADMIN,
    responses: { 200: items(importJob) },
    handler: async () => ({ items: await listImports(ctx) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/imports",
    summary:
      "Upload a spreadsheet (multipart: field 'entity' = tickets|customers|organizations, then 'file': .xlsx or CSV in UTF-8/GBK, at most LOOPDESK_MAX_IMPORT_MB, default 100 MB); columns are guessed (admin)",
    tags,
    access: ADMIN,
    audit: { action: "imports.upload", targetType: "import" },
    // Larger than the file limit: a too-large file is cut off at 100 MB and answered with a clear 413.
    bodyLimit: 1024 * 1024 * 1024,
    responses: { 201: importJob },
    handler: async ({ req, reply, principal }) => {
      if (!req.isMultipart())
        throw ValidationError([{ path: "file", code: "multipart_required", message: "Send the file as multipart/form-data." }]);
      const file = await req.file({ limits: { fileSize: ctx.config.maxImportBytes, files: 1 }, throwFileSizeLimit: false });
      if (!file) throw ValidationError([{ path: "file", code: "required", message: "No file was sent." }]);
      const entity = (file.fields.entity as { value?: string } | undefined)?.value ?? "tickets";
      if (!(importEntities as readonly string[]).includes(entity))
        throw ValidationError([
          { path: "entity", code: "invalid_enum_value", message: "entity must be tickets, customers or organizations." },
        ]);
      const created = await createImport(ctx, principal.id, entity as (typeof importEntities)[number], file.filename, file.file);
      reply.code(201);
      return presentImport(created);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/imports/zendesk-export",
    summary:
      "Upload Zendesk export files together (multipart 'file' fields: tickets with comments, users, organizations, groups; JSON or NDJSON; optional fields url, email, token to fetch private attachments); the source is surveyed (admin)",
    tags: [...tags, "helpdesk import"],
    access: ADMIN,
    audit: { action: "imports.upload", targetType: "import" },
    bodyLimit: 1024 * 1024 * 1024,
    responses: { 201: importJob },
    handler: async ({ req, reply, principal }) => {
      if (!req.isMultipart())
        throw ValidationError([{ path: "file", code: "multipart_required", message: "Send the files as multipart/form-data." }]);
      async function* parts() {
        for await (const part of req.parts({ limits: { fileSize: ctx.config.maxImportBytes, files: 10 } }))
          yield part.type === "field"
            ? { kind: "field" as const, name: part.fieldname, value: String(part.value) }
            : { kind: "file" as const, name: part.filename, stream: part.file };
      }
      const created = await createZendeskExportImport(ctx, principal.id, parts());
      reply.code(201);
      return presentImport(created);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/imports/zendesk-api",
    summary: "Connect to Zendesk's API (account address, an admin's email and API token); the account is surveyed (admin)",
    tags: [...tags, "helpdesk import"],
    access: ADMIN,
    audit: { action: "imports.connect", targetType: "import" },
    body: zendeskApiBody,
    responses: { 201: importJob },
    handler: async ({ body, reply, principal }) => {
      const created = await createZendeskApiImport(ctx, principal.id, body);
      reply.code(201);
      return presentImport(created);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/imports/osticket",
    summary: "Connect to osTicket's MySQL/MariaDB database (read only); the helpdesk is surveyed (admin)",
    tags: [...tags, "helpdesk import"],
    access: ADMIN,
    audit: { action: "imports.connect", targetType: "import" },
    body: osTicketBody,
    responses: { 201: importJob },
    handler: async ({ body, reply, principal }) => {
      const created = await createOsTicketImport(ctx, principal.id, { ...body, timeZone: body.timeZone ?? ctx.config.timeZone });
      reply.code(201);
      return presentImport(created);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/imports/:id",
    summary: "One import: its mapping, check report, progress and outcome (admin)",
    tags,
    access: ADMIN,
    params: idParams,
    responses: { 200: importJob },
    handler: async ({ params }) => presentImport(await getImportRow(ctx, params.id)),
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/imports/:id/mapping",
    summary: "Set which column fills which field and what their values mean; optionally save the mapping by name (admin)",
    tags,
    access: ADMIN,
    params: idParams,
    body: importMappingBody,
    responses: { 200: importJob },
    handler: async ({ params, body, principal }) => presentImport(await setImportMapping(ctx, params.id, principal.id, body)),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/imports/:id/values",
    summary:
      "The distinct values of the mapped status, priority, category, department, assignee and channel columns, and what they map to (admin)",
    tags,
    access: ADMIN,
    params: idParams,
    responses: { 200: z.partialRecord(z.enum(mappedFields), z.array(distinctValue)) },
    handler: async ({ params }) => distinctValues(ctx, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/imports/:id/dry-run",
    summary: "Check every row as the import would, writing nothing: problems by row and column (admin)",
    tags,
    access: ADMIN,
    params: idParams,
    responses: { 200: dryRunReport },
    handler: async ({ params }) => dryRunImport(ctx, params.id),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/imports/:id/report",
    summary: "The check's (or, once imported, the import's) problems as an Excel file (admin)",
    tags,
    access: ADMIN,
    params: idParams,
    handler: async ({ params, reply, principal }) => {
      const job = await getImportRow(ctx, params.id);
      const problems = job.status === "uploaded" ? ((job.dry_run as { problems?: [] } | null)?.problems ?? []) : job.problems;
      if (job.status === "uploaded" && !job.dry_run) throw new AppError(409, "conflict", "Run the check first.");
      reply.header("content-disposition", `attachment; filename="import-${job.id}-report.xlsx"`);
      reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      return reply.send(await problemWorkbook(problems, principal.locale, job.source !== "spreadsheet"));
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/imports/:id/start",
    summary: "Import: a background job writes the rows in batches (each commits whole) and resumes after a restart (admin)",
    tags,
    access: ADMIN,
    audit: { action: "imports.start", targetType: "import" },
    params: idParams,
    responses: { 200: importJob },
    handler: async ({ params }) => presentImport(await startImport(ctx, params.id)),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/imports/:id/records",
    summary: "The first records an import brought in, for links (admin)",
    tags,
    access: ADMIN,
    params: idParams,
    responses: { 200: items(importRecordLink) },
    handler: async ({ params }) => ({ items: await importedRecords(ctx, params.id) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/import-mappings",
    summary: "Column mappings saved for reuse (admin)",
    tags,
    access: ADMIN,
    query: z.object({ entity: z.enum(importEntities).optional() }),
    responses: { 200: items(importMapping) },
    handler: async ({ query }) => ({ items: await listImportMappings(ctx, query.entity) }),
  });
}
