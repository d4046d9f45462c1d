import type { ReportSchedule, createReportScheduleBody, updateReportScheduleBody } from "@loopdesk/contracts/analytics";
import type { Selectable, Transaction } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import type { ReportSchedulesTable } from "../../db/schema-analytics";
import type { AppContext } from "../../platform/context";
import { AppError, NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { toCsv } from "../../platform/files/spreadsheet";
import { reportTableRows } from "./analytics-export";
import { reportMail } from "./report-mail";
import { type Frequency, nextRunAt, reportPeriod } from "./report-periods";
import { overviewReport } from "./overview-report";

type Row = Selectable<ReportSchedulesTable>;
const MailNotConfiguredError = () =>
  new AppError(409, "mail_not_configured", "Outgoing mail is not configured (SMTP_URL): the report cannot be sent.");
const CHANNEL_NAMES: Record<string, Record<string, string>> = {
  "zh-CN": {
    email: "邮件",
    portal: "门户",
    widget: "网页插件",
    wecom: "企业微信",
    dingtalk: "钉钉",
    feishu: "飞书",
    phone: "电话",
    api: "API",
  },
  en: {
    email: "Email",
    portal: "Portal",
    widget: "Widget",
    wecom: "WeCom",
    dingtalk: "DingTalk",
    feishu: "Feishu",
    phone: "Phone",
    api: "API",
  },
};

const present = (r: Row): ReportSchedule => ({
  id: r.id,
  name: r.name,
  frequency: r.frequency,
  recipients: r.recipients,
  filters: r.filters ?? {},
  locale: r.locale === "en" ? "en" : "zh-CN",
  active: r.active,
  nextRunAt: r.next_run_at.toISOString(),
  lastSentAt: r.last_sent_at?.toISOString() ?? null,
});

export async function listReportSchedules(db: Executor) {
  return (await db.selectFrom("report_schedules").selectAll().orderBy("id").execute()).map(present);
}

export async function createReportSchedule(
  db: Executor,
  input: z.output<typeof createReportScheduleBody>,
  staffId: number,
  timeZone: string,
) {
  const row = await db
    .insertInto("report_schedules")
    .values({
      name: input.name,
      frequency: input.frequency,
      recipients: [...new Set(input.recipients)],
      filters: JSON.stringify(input.filters),
      locale: input.locale,
      active: input.active,
      next_run_at: nextRunAt(input.frequency, new Date(), timeZone),
      created_by: staffId,
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateReportSchedule(db: Executor, id: number, input: z.output<typeof updateReportScheduleBody>, timeZone: string) {
  const row = await db
    .updateTable("report_schedules")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.frequency !== undefined
        ? { frequency: input.frequency, next_run_at: nextRunAt(input.frequency, new Date(), timeZone) }
        : {}),
      ...(input.recipients !== undefined ? { recipients: [...new Set(input.recipients)] } : {}),
      ...(input.filters !== undefined ? { filters: JSON.stringify(input.filters) } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw NotFoundError("Report schedule");
  return present(row);
}

export async function deleteReportSchedule(db: Executor, id: number) {
  const res = await db.deleteFrom("report_schedules").where("id", "=", id).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw NotFoundError("Report schedule");
}

/** A schedule reports on the whole workspace (administrators set schedules up). */
const WHOLE_WORKSPACE = { departmentIds: null, agentIds: null };

/** Queues the report of one period to every recipient (in the caller's transaction). */
async function queueReport(ctx: AppContext, trx: Executor, s: Row, period: { from: string; to: string }) {
  const filters = { ...period, ...(s.filters ?? {}) };
  // The figures come from a caught-up replica when there is one (the embedded engine's one
  // connection is this transaction's).
  const reads = ctx.reads.hasReplica ? await ctx.reads.forReport() : trx;
  const [report, daily] = await Promise.all([
    overviewReport(reads, filters, ctx.config.timeZone),
    reportTableRows(reads, ctx.config.timeZone, "daily", filters, s.locale, WHOLE_WORKSPACE),
  ]);
  const names = CHANNEL_NAMES[s.locale === "en" ? "en" : "zh-CN"] as Record<string, string>;
  const link = `${ctx.config.publicUrl}/analytics`;
  for (const to of s.recipients)
    await ctx.mailer.queue(
      trx,
      reportMail({
        to,
        locale: s.locale,
        name: s.name,
        report,
        channelName: (c) => names[c] ?? c,
        link,
        csv: toCsv(daily.head, daily.rows),
      }),
    );
  return period;
}

/** Sends the last whole period now (does not move the schedule). */
export async function sendReportNow(ctx: AppContext, id: number) {
  const s = await ctx.db.selectFrom("report_schedules").selectAll().where("id", "=", id).executeTakeFirst();
  if (!s) throw NotFoundError("Report schedule");
  // Queued mail that cannot go out would only fail in the background while the page says "sent".
  if (!ctx.mailer.enabled) throw MailNotConfiguredError();
  const period = reportPeriod(s.frequency as Frequency, new Date(), ctx.config.timeZone);
  await ctx.db.transaction().execute((trx) => queueReport(ctx, trx, s, period));
  return { ...period, recipients: s.recipients };
}

/**
 * Sends every schedule that is due, once: each is locked, mailed for the period before its due
 * time, and moved to its next time after now — a server that was down for weeks sends the latest
 * period once, not every missed one. Without outgoing mail nothing is queued (it could only fail):
 * the schedule moves on without being marked sent, and the log says why.
 */
export async function sendDueReports(ctx: AppContext, trx: Transaction<DB>, now = new Date()) {
  const due = await trx
    .selectFrom("report_schedules")
    .selectAll()
    .where("active", "=", true)
    .where("next_run_at", "<=", now)
    .orderBy("next_run_at")
    .limit(20)
    .forUpdate()
    .skipLocked()
    .execute();
  for (const s of due) {
    const next = nextRunAt(s.frequency as Frequency, now, ctx.config.timeZone);
    if (!ctx.mailer.enabled) {
      ctx.logger.warn({ scheduleId: s.id }, "scheduled report not sent: outgoing mail is not configured (SMTP_URL)");
      await trx.updateTable("report_schedules").set({ next_run_at: next }).where("id", "=", s.id).execute();
      continue;
    }
    await queueReport(ctx, trx, s, reportPeriod(s.frequency as Frequency, now, ctx.config.timeZone));
    await trx.updateTable("report_schedules").set({ last_sent_at: now, next_run_at: next }).where("id", "=", s.id).execute();
  }
  return due.length;
}
