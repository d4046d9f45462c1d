import { sql } from "kysely";
import type { Readable } from "node:stream";
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import { type Executor, type JobQueue, enqueue } from "../jobs/job-queue";

export type Mail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Small files (e.g. a report's CSV), base64 in the job so the mail survives a restart. */
  attachments?: { filename: string; contentType: string; base64: string }[];
  /** Stored files (e.g. those of an agent's reply), read from the file store when the mail is sent. */
  files?: { sha256: string; filename: string; contentType: string }[];
  /** Another sender than MAIL_FROM (a mailbox's address, so the customer's reply comes back to it). */
  from?: string;
  /** Threading headers (ids without angle brackets), so mail clients group a ticket's mails. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Holds a secret (a sign-in code or link): its job keeps only the recipient once sent. */
  sensitive?: boolean;
};

const MAIL_QUEUE = "mail.send";

/**
 * Outgoing mail through SMTP from a durable job: queueMail() writes the job in the caller's
 * transaction, so a mail exists exactly when the change that causes it commits; the job retries
 * with backoff while the SMTP server is unreachable. Delivery is at least once.
 */
export class Mailer {
  private readonly transport;

  constructor(
    private readonly smtp: { url: string; from: string } | undefined,
    private readonly logger: Logger,
    /** Opens a stored file by its SHA-256 (the file store), for `files`. */
    private readonly openFile?: (sha256: string) => Readable,
  ) {
    this.transport = smtp ? nodemailer.createTransport(smtp.url) : undefined;
  }

  /** The default sender's address, e.g. "no-reply@example.com". */
  get fromAddress() {
    return this.smtp ? (/<([^>]+)>/.exec(this.smtp.from)?.[1] ?? this.smtp.from).trim().toLowerCase() : null;
  }

  get enabled() {
    return this.transport !== undefined;
  }

  register(jobs: JobQueue) {
    // Leased: an SMTP conversation must not hold a database transaction (the embedded engine has one connection).
    jobs.defineLeased<Mail>({
      queue: MAIL_QUEUE,
      leaseMs: 120_000,
      maxAttempts: 10,
      run: async (mail, { db, jobId }) => {
        if (!this.transport || !this.smtp) throw new Error("Outgoing mail is not configured (SMTP_URL).");
        const info = await this.transport.sendMail({
          from: mail.from ?? this.smtp.from,
          to: mail.to,
          ...(mail.messageId ? { messageId: `<${mail.messageId}>` } : {}),
          ...(mail.inReplyTo ? { inReplyTo: `<${mail.inReplyTo}>` } : {}),
          ...(mail.references?.length ? { references: mail.references.map((r) => `<${r}>`) } : {}),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments: [
            ...(mail.attachments ?? []).map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              content: a.base64,
              encoding: "base64",
            })),
            ...(mail.files ?? []).flatMap((f) =>
              this.openFile ? [{ filename: f.filename, contentType: f.contentType, content: this.openFile(f.sha256) }] : [],
            ),
          ],
        });
        this.logger.info({ to: mail.to, messageId: info.messageId }, "mail sent");
        if (mail.sensitive)
          await db
            .updateTable("jobs")
            .set({ payload: sql`jsonb_build_object('to', payload->'to', 'redacted', true)` })
            .where("id", "=", jobId)
            .execute();
      },
    });
  }

  async queue(db: Executor, mail: Mail) {
    await enqueue(db, MAIL_QUEUE, mail, { maxAttempts: 10 });
  }
}
