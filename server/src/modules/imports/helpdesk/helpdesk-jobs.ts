import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MappedField, ValueMap } from "@loopdesk/contracts/imports";
import type { AppContext } from "../../../platform/context";
import { AppError, ValidationError } from "../../../platform/errors";
import { type ImportRow, getImportRow, importsDir } from "../import-rows";
import { KNOWN_CHANNELS, KNOWN_PRIORITIES, KNOWN_STATUSES } from "./foreign";
import type { HelpdeskSource, SourceSurvey } from "./foreign";
import { type OsTicketConnection, osTicketSource } from "./osticket-mysql";
import { SourceError, exportAttachmentReader, sourceUrl, zendeskApiSource } from "./zendesk-api";
import { zendeskExportSource } from "./zendesk-export";

export type HelpdeskFormat = "zendesk-export" | "zendesk-api" | "osticket-mysql";
type ZendeskCredentials = { url: string; email: string; token: string };

const rejected = (e: SourceError) => new AppError(400, "import_rejected", e.message, { reason: `source_${e.reason}` });

/** The folder of an import's uploaded export files. */
export const exportDir = (ctx: AppContext, id: number) => path.join(importsDir(ctx), String(id));

/** Opens the source an import reads from (its credential unsealed for the while). */
export async function openSource(
  ctx: AppContext,
  job: Pick<ImportRow, "id" | "format" | "options" | "secret_sealed">,
): Promise<HelpdeskSource> {
  const conn = job.options.connection ?? {};
  const secret = job.secret_sealed ? ctx.secrets.reveal(job.secret_sealed) : "";
  if (job.format === "zendesk-api") return zendeskApiSource({ url: String(conn.url), email: String(conn.email), token: secret });
  if (job.format === "zendesk-export")
    return zendeskExportSource(
      exportDir(ctx, job.id),
      exportAttachmentReader(conn.url ? { url: String(conn.url), email: String(conn.email ?? ""), token: secret } : null),
    );
  if (job.format === "osticket-mysql")
    return osTicketSource({ ...(conn as unknown as Omit<OsTicketConnection, "password">), password: secret });
  throw new Error(`not a helpdesk import: ${job.format}`);
}

async function surveyed(ctx: AppContext, id: number) {
  const job = await getImportRow(ctx, id);
  let source: HelpdeskSource | null = null;
  try {
    source = await openSource(ctx, job);
    const survey = await source.survey();
    if (survey.tickets === 0 && survey.people === 0 && survey.organizations === 0)
      throw new SourceError("empty", "Nothing to import was found: no tickets, users or organizations.");
    await ctx.db
      .updateTable("import_jobs")
      .set({ survey: JSON.stringify(survey), total_rows: survey.tickets })
      .where("id", "=", id)
      .execute();
    return getImportRow(ctx, id);
  } catch (e) {
    await ctx.db.deleteFrom("import_jobs").where("id", "=", id).execute();
    fs.rmSync(exportDir(ctx, id), { recursive: true, force: true });
    if (e instanceof SourceError) throw rejected(e);
    if (e instanceof SyntaxError) throw rejected(new SourceError("bad_json", `A file is not JSON: ${e.message}`));
    throw e;
  } finally {
    await source?.close();
  }
}

async function newJob(
  ctx: AppContext,
  staffId: number,
  source: "zendesk" | "osticket",
  format: HelpdeskFormat,
  name: string,
  connection: Record<string, string | number>,
  secret: string | null,
  size = 0,
) {
  const row = await ctx.db
    .insertInto("import_jobs")
    .values({
      source,
      entity: "tickets",
      file_name: name.slice(0, 300),
      file_size: size,
      format,
      encoding: null,
      headers: "[]",
      sample: "[]",
      columns: "{}",
      options: JSON.stringify({ runAutomations: false, connection }),
      secret_sealed: secret ? ctx.secrets.seal(secret) : null,
      created_by: staffId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export type UploadPart =
  | { kind: "field"; name: string; value: string }
  | { kind: "file"; name: string; stream: Readable & { truncated?: boolean } };

/**
 * Zendesk's export files (tickets with comments, users, organizations, groups; JSON or NDJSON),
 * uploaded together, each streamed to the import's folder; fields url, email and token (optional)
 * let private attachments be fetched.
 */
export async function createZendeskExportImport(ctx: AppContext, staffId: number, parts: AsyncIterable<UploadPart>) {
  const id = await newJob(ctx, staffId, "zendesk", "zendesk-export", "Zendesk", {}, null);
  const dir = exportDir(ctx, id);
  fs.mkdirSync(dir, { recursive: true });
  const fields: Record<string, string> = {};
  const names: string[] = [];
  let size = 0;
  try {
    for await (const part of parts) {
      if (part.kind === "field") {
        fields[part.name] = part.value;
        continue;
      }
      const target = path.join(dir, `${names.length}-${path.basename(part.name).replace(/[^\w.-]/g, "_")}`);
      await pipeline(part.stream, fs.createWriteStream(target));
      if (part.stream.truncated)
        throw new AppError(413, "payload_too_large", `A file is larger than ${ctx.config.maxImportBytes / 1024 / 1024} MB.`, {
          reason: "too_large",
          maxMb: ctx.config.maxImportBytes / 1024 / 1024,
        });
      if (!/\.(json|ndjson|jsonl)$/i.test(part.name))
        throw rejected(new SourceError("not_json", `${part.name} is not a JSON or NDJSON file.`));
      names.push(part.name);
      size += fs.statSync(target).size;
    }
    if (!names.length) throw ValidationError([{ path: "file", code: "required", message: "No file was sent." }]);
    const creds = fields.url && fields.token ? { url: wrapUrl(fields.url), email: fields.email ?? "", token: fields.token } : null;
    await ctx.db
      .updateTable("import_jobs")
      .set({
        file_name: names.join(", ").slice(0, 300),
        file_size: size,
        options: JSON.stringify({ runAutomations: false, connection: creds ? { url: creds.url, email: creds.email } : {} }),
        secret_sealed: creds ? ctx.secrets.seal(creds.token) : null,
      })
      .where("id", "=", id)
      .execute();
  } catch (e) {
    await ctx.db.deleteFrom("import_jobs").where("id", "=", id).execute();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return surveyed(ctx, id);
}

function wrapUrl(url: string) {
  try {
    return sourceUrl(url).origin;
  } catch (e) {
    if (e instanceof SourceError) throw rejected(e);
    throw e;
  }
}

/** Zendesk's API (the incremental exports), read with an admin's API token. */
export async function createZendeskApiImport(ctx: AppContext, staffId: number, creds: ZendeskCredentials) {
  const origin = wrapUrl(creds.url);
  const id = await newJob(ctx, staffId, "zendesk", "zendesk-api", new URL(origin).host, { url: origin, email: creds.email }, creds.token);
  return surveyed(ctx, id);
}

/** osTicket's MySQL/MariaDB database (read only). */
export async function createOsTicketImport(ctx: AppContext, staffId: number, conn: OsTicketConnection) {
  const { password, ...rest } = conn;
  const id = await newJob(ctx, staffId, "osticket", "osticket-mysql", `${conn.database}@${conn.host}`, rest, password);
  return surveyed(ctx, id);
}

type Distinct = { value: string; rows: number; mapped: string | number | null; known: boolean };

/** The source's words to map (statuses, priorities, channels, agents, departments/groups), with what each maps to now. */
export async function helpdeskValues(ctx: AppContext, job: ImportRow) {
  const survey = job.survey as SourceSurvey | null;
  if (!survey) return {};
  const map = job.value_map as ValueMap;
  const [staff, departments] = await Promise.all([
    ctx.db.selectFrom("staff").select(["id", "email"]).where("active", "=", true).execute(),
    ctx.db.selectFrom("departments").select(["id", "name"]).execute(),
  ]);
  const staffByEmail = new Map(staff.map((s) => [s.email.toLowerCase(), s.id]));
  const departmentByName = new Map(departments.map((d) => [d.name, d.id]));
  const words = (field: MappedField, values: string[], known: Record<string, string>): Distinct[] =>
    values.map((value) => {
      const chosen = map[field]?.[value];
      const guess = known[value] ?? known[value.toLowerCase()] ?? null;
      return { value, rows: 0, mapped: chosen !== undefined ? chosen : guess, known: chosen !== undefined || guess !== null };
    });
  const out: Partial<Record<MappedField, Distinct[]>> = {
    status: words("status", survey.statuses, KNOWN_STATUSES),
    priority: words("priority", survey.priorities, KNOWN_PRIORITIES),
    channel: words("channel", survey.channels, KNOWN_CHANNELS),
    assignee: survey.agents.map((a) => {
      const chosen = map.assignee?.[a.value];
      const guess = staffByEmail.get(a.value) ?? null;
      return { value: a.value, rows: 0, mapped: chosen !== undefined ? chosen : guess, known: chosen !== undefined || guess !== null };
    }),
    department: survey.groups.map((g) => {
      const chosen = map.department?.[g];
      const guess = departmentByName.get(g) ?? null;
      return { value: g, rows: 0, mapped: chosen !== undefined ? chosen : guess, known: chosen !== undefined || guess !== null };
    }),
  };
  return out;
}
