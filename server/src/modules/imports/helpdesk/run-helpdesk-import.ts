import fs from "node:fs";
import type { ImportProblem, ValueMap } from "@loopdesk/contracts/imports";
import { sql } from "kysely";
import type { AppContext } from "../../../platform/context";
import { putAttachmentFile } from "../../tickets/attachment-service";
import { type ImportRow, PROBLEMS_KEPT } from "../import-rows";
import { type ImportTarget, newWriteCache } from "../write-imported";
import type { ForeignTicket } from "./foreign";
import { exportDir, openSource } from "./helpdesk-jobs";
import { type ForeignMaps, type StoredFiles, writeForeignTickets, writeOrganizations, writePeople } from "./write-foreign";

/** Their staff and departments matched here: the import's value map first, then the same email or name. */
async function startingMaps(ctx: AppContext, job: ImportRow): Promise<ForeignMaps> {
  const valueMap = job.value_map as ValueMap;
  const [staff, departments] = await Promise.all([
    ctx.db.selectFrom("staff").select(["id", "email"]).execute(),
    ctx.db.selectFrom("departments").select(["id", "name"]).execute(),
  ]);
  const staffByEmail = new Map(staff.map((s) => [s.email.toLowerCase(), s.id]));
  for (const [email, chosen] of Object.entries(valueMap.assignee ?? {})) {
    if (typeof chosen === "number") staffByEmail.set(email.toLowerCase(), chosen);
    else staffByEmail.delete(email.toLowerCase());
  }
  return {
    organizations: new Map(),
    people: new Map(),
    staffByEmail,
    departments: new Map(departments.map((d) => [d.name, d.id])),
    valueMap,
  };
}

/** Their tickets of a page that an import already wrote: by this import (a resumed run) or an earlier one. */
async function writtenBefore(ctx: AppContext, job: ImportRow, tickets: ForeignTicket[]) {
  if (!tickets.length) return { mine: new Set<string>(), earlier: new Set<string>() };
  const rows = await ctx.db
    .selectFrom("import_records")
    .select(["external_id", "job_id"])
    .where("source", "=", job.source)
    .where("entity", "=", "tickets")
    .where(
      "external_id",
      "in",
      tickets.map((t) => t.externalId),
    )
    .execute();
  return {
    mine: new Set(rows.filter((r) => r.job_id === job.id).map((r) => r.external_id)),
    earlier: new Set(rows.filter((r) => r.job_id !== job.id).map((r) => r.external_id)),
  };
}

const rowOf = (t: ForeignTicket) => Number(t.number) || Number(t.externalId) || 0;

/** Reads every attachment of a page and stores the bytes (outside the transaction: slow); failures are reported, not fatal. */
async function storeAttachments(ctx: AppContext, tickets: ForeignTicket[], problems: ImportProblem[]) {
  const files: StoredFiles = new Map();
  for (const t of tickets)
    for (const c of t.comments)
      for (const a of c.attachments) {
        try {
          const data = await a.read();
          if (!data.length) continue;
          const stored = await putAttachmentFile(ctx.files, data);
          files.set(a.externalId, { ...stored, fileName: a.fileName });
        } catch (e) {
          problems.push({
            row: rowOf(t),
            column: a.fileName,
            code: "attachment_unavailable",
            value: (e as Error).message.slice(0, 200),
            warning: true,
          });
        }
      }
  return files;
}

/**
 * Runs an import from another helpdesk: organizations, then people (customers created or found,
 * agents matched to staff), then tickets page by page. Each page commits whole with the job's
 * progress and the source's cursor, so a restarted server resumes after the last committed page;
 * everything written is recorded by its id there, so nothing is written twice.
 */
export async function runHelpdeskImport(ctx: AppContext, job: ImportRow) {
  const source = await openSource(ctx, job);
  const target: ImportTarget = { id: job.id, source: job.source, entity: "tickets", runAutomations: job.options.runAutomations ?? false };
  const maps = await startingMaps(ctx, job);
  const cache = newWriteCache();
  const beat = () => ctx.db.updateTable("import_jobs").set({ heartbeat_at: new Date() }).where("id", "=", job.id).execute();
  try {
    for await (const page of source.organizations()) {
      await ctx.db.transaction().execute((trx) => writeOrganizations(trx, target, page, maps, cache));
      await beat();
    }
    for await (const page of source.people()) {
      await ctx.db.transaction().execute((trx) => writePeople(trx, target, page, maps, cache));
      await beat();
    }
    // A paged API resumes from the committed cursor; a file is read from the top again.
    let processed = job.options.cursor ? job.processed_rows : 0;
    for await (const { tickets, cursor } of source.tickets(job.options.cursor ?? null)) {
      const { mine, earlier } = await writtenBefore(ctx, job, tickets);
      const fresh = tickets.filter((t) => !mine.has(t.externalId) && !earlier.has(t.externalId));
      const problems: ImportProblem[] = [];
      const writable = fresh.filter((t) => {
        const requester = t.requesterId ? maps.people.get(t.requesterId) : undefined;
        if (requester?.kind === "customer") return true;
        problems.push({ row: rowOf(t), column: "requester", code: "requester_unknown", value: t.requesterId ?? "" });
        return false;
      });
      const files = await storeAttachments(ctx, writable, problems);
      processed += tickets.length;
      // A page this import committed before a restart (read again from a file): its failures are counted already.
      const replay = !job.options.cursor && processed <= job.processed_rows;
      const failed = replay ? 0 : fresh.length - writable.length;
      if (replay) problems.length = 0;
      await ctx.db.transaction().execute(async (trx) => {
        const created = await writeForeignTickets(ctx, trx, target, writable, maps, files);
        await trx
          .updateTable("import_jobs")
          .set({
            processed_rows: sql`greatest(processed_rows, ${processed})`,
            created: sql`created + ${created}`,
            skipped: sql`skipped + ${earlier.size}`,
            failed: sql`failed + ${failed}`,
            problem_count: sql`problem_count + ${problems.length}`,
            problems: sql`case when jsonb_array_length(problems) < ${PROBLEMS_KEPT}
              then problems || ${JSON.stringify(problems.slice(0, PROBLEMS_KEPT))}::jsonb else problems end`,
            options: sql`options || ${JSON.stringify({ cursor })}::jsonb`,
            heartbeat_at: new Date(),
          })
          .where("id", "=", job.id)
          .execute();
      });
    }
  } finally {
    await source.close();
  }
  // The credential and the uploaded files are not kept once the import is done (the report stays).
  await ctx.db.updateTable("import_jobs").set({ secret_sealed: null }).where("id", "=", job.id).execute();
  fs.rmSync(exportDir(ctx, job.id), { recursive: true, force: true });
}
