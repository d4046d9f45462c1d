import type { Logger } from "pino";
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { type Executor, type JobQueue, enqueue } from "../jobs/job-queue";

export type DomainEvent = {
  id: number;
  type: string;
  aggregateType: string;
  aggregateId: number;
  payload: Record<string, unknown>;
  createdAt: string;
};

export type Subscriber = {
  name: string;
  types: string[];
  handle: (event: DomainEvent, ctx: { trx: Transaction<DB>; logger: Logger }) => Promise<void>;
};

/**
 * Durable domain events (transactional outbox). emit() writes the event and one job per
 * subscriber in the caller's transaction; the job queue delivers each to its subscriber,
 * whose handler commits together with the job's completion.
 */
export class EventBus {
  private readonly subscribers: Subscriber[] = [];

  constructor(private readonly jobs: JobQueue) {}

  subscribe(sub: Subscriber) {
    this.subscribers.push(sub);
    this.jobs.define<{ event: DomainEvent }>({
      queue: `event:${sub.name}`,
      handler: (payload, ctx) => sub.handle(payload.event, ctx),
    });
  }

  async emit(db: Executor, e: { type: string; aggregateType: string; aggregateId: number; payload?: Record<string, unknown> }) {
    const row = await db
      .insertInto("domain_events")
      .values({ type: e.type, aggregate_type: e.aggregateType, aggregate_id: e.aggregateId, payload: JSON.stringify(e.payload ?? {}) })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    const event: DomainEvent = {
      id: row.id,
      type: e.type,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      payload: e.payload ?? {},
      createdAt: row.created_at.toISOString(),
    };
    for (const sub of this.subscribers) {
      if (sub.types.includes(e.type)) await enqueue(db, `event:${sub.name}`, { event }, { dedupeKey: String(row.id) });
    }
    return event;
  }
}
