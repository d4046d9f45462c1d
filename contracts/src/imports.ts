import { z } from "zod";
import { isoDate } from "./common";

/** Imports from spreadsheets (Excel, CSV) and other helpdesks. */

export const importEntities = ["tickets", "customers", "organizations"] as const;
export type ImportEntity = (typeof importEntities)[number];
export const importStatuses = ["uploaded", "queued", "running", "done", "failed"] as const;
/** Fields whose values are mapped from their words to ours. */
export const mappedFields = ["status", "priority", "category", "department", "assignee", "channel"] as const;
export type MappedField = (typeof mappedFields)[number];

/** One finding of a check or an import: the spreadsheet row and column, and what is wrong (a code the UI words). */
export const importProblem = z.object({
  row: z.number().int(),
  column: z.string(),
  code: z.string(),
  value: z.string().optional(),
  /** Taken anyway (e.g. a formula cell imported as its computed value). */
  warning: z.boolean().optional(),
});
export type ImportProblem = z.infer<typeof importProblem>;

/** Their value → ours: a status/priority/channel word, or a category/department/staff id (null: leave empty). */
export const valueMap = z.partialRecord(
  z.enum(mappedFields),
  z.record(z.string().max(500), z.union([z.string().max(100), z.number().int(), z.null()])),
);
export type ValueMap = z.infer<typeof valueMap>;

export const importOptions = z.object({
  /** Open imported tickets go through routing, SLA and triggers as if new (default: history only, nothing fires). */
  runAutomations: z.boolean().default(false),
});

export const dryRunReport = z.object({
  checkedAt: isoDate,
  rows: z.number().int(),
  ok: z.number().int(),
  withProblems: z.number().int(),
  alreadyImported: z.number().int(),
  duplicates: z.number().int(),
  warnings: z.number().int(),
  problems: z.array(importProblem),
  problemCount: z.number().int(),
});
export type DryRunReport = z.infer<typeof dryRunReport>;

export const distinctValue = z.object({
  value: z.string(),
  rows: z.number().int(),
  /** What it maps to now (saved or recognized), null when unknown. */
  mapped: z.union([z.string(), z.number(), z.null()]),
  known: z.boolean(),
});

export const importJob = z.object({
  id: z.number().int(),
  source: z.enum(["spreadsheet", "zendesk", "osticket"]),
  entity: z.enum(importEntities),
  status: z.enum(importStatuses),
  fileName: z.string(),
  fileSize: z.number().int(),
  format: z.string(),
  encoding: z.string().nullable(),
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  totalRows: z.number().int(),
  columns: z.record(z.string(), z.string()),
  valueMap: valueMap,
  options: importOptions,
  dryRun: dryRunReport.nullable(),
  /** What another helpdesk's source holds, found when it was connected. */
  survey: z
    .object({
      tickets: z.number().int(),
      people: z.number().int(),
      organizations: z.number().int(),
      agents: z.array(z.object({ value: z.string(), name: z.string() })),
      statuses: z.array(z.string()),
      priorities: z.array(z.string()),
      groups: z.array(z.string()),
      channels: z.array(z.string()),
    })
    .nullable(),
  connection: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  processedRows: z.number().int(),
  created: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  problems: z.array(importProblem),
  problemCount: z.number().int(),
  error: z.string().nullable(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type ImportJob = z.infer<typeof importJob>;

export const importFieldOption = z.object({ key: z.string(), label: z.string().optional(), mapped: z.string().optional() });

export const importMappingBody = z.object({
  columns: z.record(z.string().max(500), z.string().max(100)),
  valueMap: valueMap.default({}),
  options: importOptions.default({ runAutomations: false }),
  /** Also keep this mapping under a name for the next file of the same shape. */
  saveAs: z.string().trim().min(1).max(100).optional(),
});

export const importMapping = z.object({
  id: z.number().int(),
  name: z.string(),
  entity: z.enum(importEntities),
  columns: z.record(z.string(), z.string()),
  valueMap: valueMap,
  createdAt: isoDate,
});

/** Zendesk's API: the account's address, an admin's email and an API token. */
export const zendeskApiBody = z.object({
  url: z.string().trim().min(3).max(300),
  email: z.string().trim().min(3).max(300),
  token: z.string().trim().min(1).max(300),
});

/** osTicket's MySQL/MariaDB database (a read-only user is enough). */
export const osTicketBody = z.object({
  host: z.string().trim().min(1).max(300),
  port: z.coerce.number().int().min(1).max(65535).default(3306),
  database: z.string().trim().min(1).max(100),
  user: z.string().trim().min(1).max(100),
  password: z.string().max(300).default(""),
  prefix: z
    .string()
    .trim()
    .max(30)
    .regex(/^[A-Za-z0-9_]*$/)
    .default("ost_"),
  /** The zone osTicket's times were written in (default: the workspace's). */
  timeZone: z.string().max(64).optional(),
});

export const importRecordLink = z.object({ id: z.number().int(), label: z.string() });
