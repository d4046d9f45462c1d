import type { TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { type NewTicket, createTickets } from "./create-ticket";

/** Most tickets written in one transaction. */
export const CREATION_BATCH = 16;
/**
 * Transactions of waiting creations under way at once: one, on both engines. On PostgreSQL a second
 * (built while the first is in the database) split the waiting requests into smaller batches: 4.4
 * tickets a transaction instead of 7.6, and 1.92 ms of CPU per creation (server and database)
 * instead of 1.68, at the same rate and p99 (creation benchmark, four alternating pairs,
 * 2026-12-07). PGlite runs in this thread, where a second would only split the waiting too.
 */
const FLUSHES = 1;

type Waiting = { ticket: NewTicket; resolve: (row: TicketRow) => void; reject: (error: unknown) => void };

/**
 * Ticket creations that arrive together share a transaction: a request waits until the other
 * requests read in the same turn of the event loop have joined, and up to `CREATION_BATCH` of them
 * are written with a few statements and one commit (createTickets). Each is answered only after
 * that commit. When the shared transaction fails, each of its tickets is written again alone, so
 * one request's failure stays its own and the others are created as if they had come alone.
 */
export class CreationQueue {
  private readonly waiting: Waiting[] = [];
  private flushing = 0;
  private scheduled = false;
  /** Shared transactions written since start and the tickets in them (GET /api/v1/system/database). */
  readonly written = { transactions: 0, tickets: 0 };

  constructor(private readonly ctx: AppContext) {}

  create(ticket: NewTicket): Promise<TicketRow> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ticket, resolve, reject });
      if (this.flushing < FLUSHES && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }

  private async flush() {
    this.flushing++;
    try {
      while (this.waiting.length) await this.write(this.waiting.splice(0, CREATION_BATCH));
    } finally {
      this.flushing--;
    }
  }

  private async write(batch: Waiting[]) {
    this.written.transactions++;
    this.written.tickets += batch.length;
    try {
      const rows = await this.inTransaction(batch.map((w) => w.ticket));
      for (const [i, w] of batch.entries()) w.resolve(rows[i] as TicketRow);
    } catch (error) {
      if (batch.length === 1) return (batch[0] as Waiting).reject(error);
      for (const w of batch) await this.inTransaction([w.ticket]).then(([row]) => w.resolve(row as TicketRow), w.reject);
    }
  }

  private inTransaction(tickets: NewTicket[]) {
    return this.ctx.db.transaction().execute((trx) => createTickets(this.ctx, trx, tickets));
  }
}

const queues = new WeakMap<AppContext, CreationQueue>();

/** The app's one creation queue. */
export function creationQueueOf(ctx: AppContext) {
  let queue = queues.get(ctx);
  if (!queue) {
    queue = new CreationQueue(ctx);
    queues.set(ctx, queue);
  }
  return queue;
}
