import type { Logger } from "pino";
import { type Transaction, sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import { nextId } from "../../db/next-id";
import type { DB } from "../../db/schema";
import type { Executor, JobQueue } from "../jobs/job-queue";
import { takeDueJobs } from "../jobs/take-due-jobs";

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
  /**
   * Optional: whether the subscriber wants events at all right now (checked at emit, must be
   * instant). A feature that is not in use then costs no job per event.
   */
  active?: () => boolean;
  /** Optional: whether this particular event concerns the subscriber (checked at emit; must be instant). */
  accepts?: (e: { type: string; payload: Record<string, unknown> }) => boolean;
  /** Optional faster path for many events at once; must equal calling `handle` for each. */
  handleBatch?: (events: DomainEvent[], ctx: { trx: Transaction<DB>; logger: Logger }) => Promise<void>;
};

export const REALTIME_CHANNEL = "loopdesk_events";

export type EventInput = { type: string; aggregateType: string; aggregateId: number; payload?: Record<string, unknown> };

/**
 * Durable domain events (transactional outbox). emit() writes the event and one job per
 * subscriber in the caller's transaction; the job queue delivers each to its subscriber,
 * whose handler commits together with the job's completion. Realtime readers find committed
 * events in the outbox by id (realtime-hub.ts); nothing is notified inside the transaction.
 */
export class EventBus {
  private readonly subscribers: Subscriber[] = [];

  constructor(
    private readonly jobs: JobQueue,
    /** Told of each write (realtime readers are poked once the writer's transaction commits). */
    private readonly onEmit?: () => void,
  ) {}

  subscribe(sub: Subscriber) {
    this.subscribers.push(sub);
    this.jobs.define<{ event: DomainEvent }>({
      queue: `event:${sub.name}`,
      handler: (payload, ctx) => sub.handle(payload.event, ctx),
      ...(sub.handleBatch
        ? {
            batchSize: 100,
            batchHandler: (payloads: { event: DomainEvent }[], ctx: { trx: Transaction<DB>; logger: Logger }) =>
              (sub.handleBatch as NonNullable<Subscriber["handleBatch"]>)(
                payloads.map((p) => p.event),
                ctx,
              ),
          }
        : {}),
    });
  }

  /**
   * Takes over up to `limit` more due events of this subscriber in the caller's transaction (their
   * jobs complete with it): a handler that waited for its turn handles what arrived meanwhile.
   */
  async takeDue(trx: Transaction<DB>, subscriber: string, limit: number): Promise<DomainEvent[]> {
    return (await takeDueJobs<{ event: DomainEvent }>(trx, `event:${subscriber}`, limit)).map((p) => p.event);
  }

  /** Writes the event and its subscribers' jobs in one statement, inside the caller's transaction. */
  async emit(db: Executor, e: EventInput): Promise<DomainEvent> {
    const queues = this.queuesFor(e);
    const payload = JSON.stringify(e.payload ?? {});
    const { rows } = await sql<{ id: number; created_at: Date }>`${prepared}
      with event as (
        insert into domain_events (type, aggregate_type, aggregate_id, payload)
        values (${e.type}, ${e.aggregateType}, ${e.aggregateId}, ${payload}::jsonb)
        returning id, created_at, type, aggregate_type, aggregate_id, payload
      ), fanout as (
        insert into jobs (queue, payload, dedupe_key)
        select q.queue,
               jsonb_build_object('event', jsonb_build_object(
                 'id', event.id, 'type', event.type, 'aggregateType', event.aggregate_type,
                 'aggregateId', event.aggregate_id, 'payload', event.payload, 'createdAt', event.created_at)),
               event.id::text
        from event, unnest(${queues}::text[]) as q(queue)
      )
      select id, created_at from event`.execute(db);
    this.onEmit?.();
    return this.emitted(e, rows[0] as { id: number; created_at: Date });
  }

  private queuesFor(e: EventInput) {
    return this.subscribers
      .filter(
        (s) => s.types.includes(e.type) && (s.active?.() ?? true) && (s.accepts?.({ type: e.type, payload: e.payload ?? {} }) ?? true),
      )
      .map((s) => `event:${s.name}`);
  }

  private emitted(e: EventInput, row: { id: number; created_at: Date }): DomainEvent {
    return {
      id: Number(row.id),
      type: e.type,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      payload: e.payload ?? {},
      createdAt: new Date(row.created_at).toISOString(),
    };
  }

  /** Writes several events and their subscribers' jobs in one statement (in this order), inside the caller's transaction. */
  async emitMany(db: Executor, events: EventInput[]): Promise<DomainEvent[]> {
    if (events.length === 0) return [];
    // One event: the plain statement, cheaper to plan.
    if (events.length === 1) return [await this.emit(db, events[0] as EventInput)];
    const input = events.map((e, ord) => ({
      ord,
      type: e.type,
      aggregate_type: e.aggregateType,
      aggregate_id: e.aggregateId,
      payload: e.payload ?? {},
      queues: this.queuesFor(e),
    }));
    // Ids are drawn first (in order) so each event's jobs and notification are joined to it by id.
    const { rows } = await sql<{ ord: number; id: number; created_at: Date }>`${prepared}
      with input as materialized (
        select ${nextId("domain_events")} as id, x.*
        from (select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
              as r(ord int, type text, aggregate_type text, aggregate_id int, payload jsonb, queues text[]) order by ord) x
      ), event as (
        insert into domain_events (id, type, aggregate_type, aggregate_id, payload) overriding system value
        select id, type, aggregate_type, aggregate_id, payload from input order by id
        returning id, created_at
      ), fanout as (
        insert into jobs (queue, payload, dedupe_key)
        select q.queue,
               jsonb_build_object('event', jsonb_build_object(
                 'id', input.id, 'type', input.type, 'aggregateType', input.aggregate_type,
                 'aggregateId', input.aggregate_id, 'payload', input.payload, 'createdAt', event.created_at)),
               input.id::text
        from input join event using (id), unnest(input.queues) as q(queue)
      )
      select input.ord, input.id, event.created_at
      from input join event using (id)
      order by input.ord`.execute(db);
    this.onEmit?.();
    return rows.map((row) => this.emitted(events[row.ord] as EventInput, row));
  }
}
