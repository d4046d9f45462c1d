import type { AppContext } from "../../platform/context";
import { type Executor, enqueue, enqueueMany } from "../../platform/jobs/job-queue";
import { pollMailbox } from "./email/poll-imap";
import { pollableMailboxes } from "./mailbox-service";

const SCHEDULE_QUEUE = "email.poll-schedule";
const POLL_QUEUE = "email.poll";

/**
 * IMAP polling: a scheduler job every IMAP_POLL_SECONDS hands each pollable mailbox a leased
 * poll job (an IMAP conversation must not hold a database transaction); one job per mailbox
 * and time slot, so several server processes never poll the same mailbox twice at once.
 */
export function registerIntakeJobs(ctx: AppContext) {
  const everyMs = ctx.config.imapPollSeconds * 1000;
  ctx.jobs.define({
    queue: SCHEDULE_QUEUE,
    handler: async (_payload, { trx }) => {
      const slot = Math.floor(Date.now() / everyMs);
      const boxes = await pollableMailboxes(trx);
      await enqueueMany(
        trx,
        boxes.map((b) => ({ queue: POLL_QUEUE, payload: { mailboxId: b.id }, dedupeKey: `email.poll:${b.id}:${slot}`, maxAttempts: 1 })),
      );
      const next = new Date((slot + 1) * everyMs);
      await enqueue(trx, SCHEDULE_QUEUE, {}, { runAt: next, dedupeKey: `${SCHEDULE_QUEUE}:${next.toISOString()}` });
    },
  });
  ctx.jobs.defineLeased<{ mailboxId: number }>({
    queue: POLL_QUEUE,
    leaseMs: 10 * 60_000,
    maxAttempts: 1,
    run: async ({ mailboxId }) => {
      await pollMailbox(ctx, mailboxId);
    },
  });
}

/** Polls a mailbox now (the console's "poll now"). */
export const pollSoon = (db: Executor, mailboxId: number) =>
  enqueue(db, POLL_QUEUE, { mailboxId }, { dedupeKey: `email.poll:${mailboxId}:now:${Date.now()}`, maxAttempts: 1 });

export async function scheduleIntakeJobs(db: Executor) {
  const pending = await db
    .selectFrom("jobs")
    .select("id")
    .where("queue", "=", SCHEDULE_QUEUE)
    .where("status", "=", "queued")
    .executeTakeFirst();
  if (!pending) await enqueue(db, SCHEDULE_QUEUE, {}, { dedupeKey: `${SCHEDULE_QUEUE}:start:${new Date().toISOString().slice(0, 13)}` });
}
