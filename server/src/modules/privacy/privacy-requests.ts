import type { PrivacyReport, PrivacyRequest, privacyRequestBody } from "@loopdesk/contracts/privacy";
import type { Selectable } from "kysely";
import type { z } from "zod";
import type { PrivacyRequestsTable } from "../../db/schema-security";
import type { AppContext } from "../../platform/context";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { eraseCustomer, removeUnusedFiles } from "./erase-customer";
import { exportCustomer } from "./export-customer";
import { searchFiles } from "./verify-erasure";
import { PRIVACY_WORKING_DAYS, addWorkingDays, officialWorkingDays, workingDaysLeft } from "./working-days";

type Row = Selectable<PrivacyRequestsTable> & {
  customer_name: string;
  customer_erased: Date | null;
  created_name: string | null;
  completed_name: string | null;
};

function baseQuery(db: Executor) {
  return db
    .selectFrom("privacy_requests as r")
    .innerJoin("customers as c", "c.id", "r.customer_id")
    .leftJoin("staff as cb", "cb.id", "r.created_by")
    .leftJoin("staff as db", "db.id", "r.completed_by")
    .selectAll("r")
    .select(["c.name as customer_name", "c.erased_at as customer_erased", "cb.name as created_name", "db.name as completed_name"]);
}

function present(r: Row, days: Awaited<ReturnType<typeof officialWorkingDays>>, timeZone: string, now = new Date()): PrivacyRequest {
  return {
    id: r.id,
    kind: r.kind,
    customer: { id: r.customer_id, name: r.customer_name, erased: r.customer_erased !== null },
    channel: r.channel,
    note: r.note,
    receivedAt: r.received_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    workingDaysLeft: r.status === "open" ? workingDaysLeft(days, now, r.due_at, timeZone) : null,
    status: r.status,
    reason: r.reason,
    archive: r.archive_sha256 && r.archive_size !== null ? { size: r.archive_size } : null,
    report: (r.report as PrivacyReport | null) ?? null,
    createdBy: r.created_by && r.created_name ? { id: r.created_by, name: r.created_name } : null,
    completedBy: r.completed_by && r.completed_name ? { id: r.completed_by, name: r.completed_name } : null,
    completedAt: r.completed_at?.toISOString() ?? null,
  };
}

/** Requests, open ones first by deadline, then answered ones newest first. */
export async function listPrivacyRequests(ctx: AppContext, status?: PrivacyRequest["status"]) {
  let q = baseQuery(ctx.db);
  if (status) q = q.where("r.status", "=", status);
  const rows = await q
    .orderBy((eb) => eb.case().when("r.status", "=", "open").then(0).else(1).end())
    .orderBy("r.due_at")
    .orderBy("r.id", "desc")
    .limit(500)
    .execute();
  const days = await officialWorkingDays(ctx.db);
  return rows.map((r) => present(r, days, ctx.config.timeZone));
}

export async function getPrivacyRequest(ctx: AppContext, id: number, db: Executor = ctx.db) {
  const row = await baseQuery(db).where("r.id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Request");
  return present(row, await officialWorkingDays(db), ctx.config.timeZone);
}

export async function createPrivacyRequest(ctx: AppContext, staffId: number | null, body: z.output<typeof privacyRequestBody>) {
  const customer = await ctx.db
    .selectFrom("customers")
    .select(["id", "erased_at", "merged_into_id"])
    .where("id", "=", body.customerId)
    .executeTakeFirst();
  if (!customer) throw ValidationError([{ path: "customerId", code: "not_found", message: "No such customer." }]);
  if (customer.merged_into_id !== null)
    throw ValidationError([
      { path: "customerId", code: "merged", message: "This customer was merged into another: make the request for that one." },
    ]);
  const receivedAt = body.receivedAt ? new Date(body.receivedAt) : new Date();
  if (Number.isNaN(receivedAt.getTime()) || receivedAt.getTime() > Date.now() + 60_000)
    throw ValidationError([{ path: "receivedAt", code: "invalid_date", message: "When the request arrived: a past date." }]);
  const due = addWorkingDays(await officialWorkingDays(ctx.db), receivedAt, PRIVACY_WORKING_DAYS, ctx.config.timeZone);
  const row = await ctx.db
    .insertInto("privacy_requests")
    .values({
      kind: body.kind,
      customer_id: body.customerId,
      channel: body.channel,
      note: body.note,
      received_at: receivedAt,
      due_at: due,
      created_by: staffId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return getPrivacyRequest(ctx, row.id);
}

async function openRequest(db: Executor, id: number, kind: PrivacyRequest["kind"]) {
  const row = await db.selectFrom("privacy_requests").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) throw NotFoundError("Request");
  if (row.kind !== kind) throw new AppError(409, "conflict", `This is ${row.kind === "access" ? "an access" : "an erasure"} request.`);
  if (row.status !== "open") throw new AppError(409, "already_answered", "This request was already answered.");
  return row;
}

/** Answers an access request: the archive is made, kept in the file store and offered for download. */
export async function fulfilAccess(ctx: AppContext, id: number, staffId: number | null) {
  const row = await openRequest(ctx.db, id, "access");
  const zip = await exportCustomer(ctx.db, ctx.files, row.customer_id);
  const { sha256, size } = await ctx.files.put(Buffer.from(zip));
  await ctx.db
    .updateTable("privacy_requests")
    .set({
      status: "done",
      archive_sha256: sha256,
      archive_size: size,
      completed_by: staffId,
      completed_at: new Date(),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .where("status", "=", "open")
    .execute();
  return getPrivacyRequest(ctx, id);
}

export async function archiveOf(ctx: AppContext, id: number) {
  const row = await ctx.db
    .selectFrom("privacy_requests")
    .select(["archive_sha256", "archive_size", "customer_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw NotFoundError("Request");
  if (!row.archive_sha256 || !ctx.files.exists(row.archive_sha256)) throw NotFoundError("Archive");
  return { stream: ctx.files.open(row.archive_sha256), size: row.archive_size ?? 0, customerId: row.customer_id };
}

/**
 * Answers an erasure request: the customer is erased in one transaction with the request marked
 * done and its report; files nothing refers to any more are removed; the stored files are then
 * searched byte by byte, and the report completed.
 */
export async function fulfilErasure(ctx: AppContext, id: number, staffId: number | null, confirmCustomerId: number) {
  const { report, files, needles } = await ctx.db.transaction().execute(async (trx) => {
    const row = await openRequest(trx, id, "erasure");
    if (row.customer_id !== confirmCustomerId)
      throw ValidationError([
        { path: "confirmCustomerId", code: "mismatch", message: "Type the customer's number to confirm the erasure." },
      ]);
    const result = await eraseCustomer(trx, row.customer_id);
    await trx
      .updateTable("privacy_requests")
      .set({
        status: "done",
        completed_by: staffId,
        completed_at: new Date(),
        updated_at: new Date(),
        report: JSON.stringify(result.report),
      })
      .where("id", "=", id)
      .execute();
    return result;
  });
  const filesRemoved = await removeUnusedFiles(ctx.db, ctx.files, files);
  const scanned = await searchFiles(ctx.files, needles);
  const full: PrivacyReport = {
    ...report,
    filesRemoved,
    verification: {
      ...report.verification,
      filesSearched: scanned.filesSearched,
      remaining: [...report.verification.remaining, ...scanned.remaining],
    },
  };
  await ctx.db
    .updateTable("privacy_requests")
    .set({ report: JSON.stringify(full) })
    .where("id", "=", id)
    .execute();
  return getPrivacyRequest(ctx, id);
}

export async function rejectPrivacyRequest(ctx: AppContext, id: number, staffId: number | null, reason: string) {
  const row = await ctx.db.selectFrom("privacy_requests").select("status").where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Request");
  if (row.status !== "open") throw new AppError(409, "already_answered", "This request was already answered.");
  await ctx.db
    .updateTable("privacy_requests")
    .set({ status: "rejected", reason, completed_by: staffId, completed_at: new Date(), updated_at: new Date() })
    .where("id", "=", id)
    .execute();
  return getPrivacyRequest(ctx, id);
}
