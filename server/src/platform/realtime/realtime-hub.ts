import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../../db/database";
import { prepared } from "../../db/prepared-statements";
import type { DB } from "../../db/schema";
import { type DomainEvent, REALTIME_CHANNEL } from "../events/event-bus";
import type { Executor } from "../jobs/job-queue";

export type RealtimeEvent = Omit<DomainEvent, "createdAt">;

/** A notification that says only "new events were committed": every process then reads them. */
const POKE = "poke";
/** How long several commits' pokes wait to go out as one. */
const POKE_DELAY_MS = 15;
/** While someone listens, new events are also read this often (events committed with no poke after them). */
const READ_EVERY_MS = 1000;
/** An id skipped by a read may belong to a transaction still committing; it is looked for this long. */
const HOLE_TTL_MS = 30_000;
const READ_LIMIT = 1000;

/**
 * Sends a short-lived event (not stored, no subscribers' jobs) to every process's live
 * connections, e.g. who is viewing a ticket. Inside a transaction it goes out on commit.
 */
export async function publishEphemeral(db: Executor, event: Omit<RealtimeEvent, "id">) {
  await sql`select pg_notify(${REALTIME_CHANNEL}, ${JSON.stringify({ id: 0, ...event })})`.execute(db);
}

/**
 * Fans committed domain events out to this process's live connections (SSE). The events are read
 * from the outbox (domain_events) by id: a writer's commit is followed by a "poke" (LISTEN/NOTIFY,
 * sent after the commit and outside any transaction, several commits' pokes as one), and every
 * server process then reads what is new. NOTIFY inside the writers' transactions serialized their
 * commits (issue 23). Ids are drawn before commit, so a read can pass over an id whose transaction
 * commits a moment later: such holes are looked for again until they appear or time out.
 */
export class RealtimeHub {
  private readonly listeners = new Set<(e: RealtimeEvent) => void>();
  private stopListening?: () => Promise<void>;
  private lastSeen = 0;
  private readonly holes = new Map<number, number>();
  private reading?: Promise<void>;
  private readAgain = false;
  private subscriptions = 0;
  private pokeTimer?: NodeJS.Timeout;
  private readTimer?: NodeJS.Timeout;
  /** Events emitted by this process so far (compared before and after a unit of work). */
  emitted = 0;
  /** Told of every poke, from any process: new events mean new subscriber jobs (the workers wake). */
  onPoke?: () => void;

  constructor(
    private readonly database: Pick<Database, "listen"> & { db: Kysely<DB> },
    private readonly logger: Logger,
  ) {}

  async start() {
    if (this.stopListening) return;
    this.stopListening = await this.database.listen(REALTIME_CHANNEL, (payload) => {
      if (payload === POKE) {
        this.onPoke?.();
        return void this.read();
      }
      let event: RealtimeEvent;
      try {
        event = JSON.parse(payload);
      } catch {
        return;
      }
      this.deliver(event);
    });
    this.lastSeen = await this.newestId();
    this.readTimer = setInterval(() => void this.read(), READ_EVERY_MS);
    this.readTimer.unref();
  }

  async stop() {
    clearInterval(this.readTimer);
    clearTimeout(this.pokeTimer);
    this.pokeTimer = undefined;
    await this.stopListening?.();
    this.stopListening = undefined;
    this.listeners.clear();
    await this.reading;
  }

  subscribe(listener: (e: RealtimeEvent) => void) {
    this.subscriptions++;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get connections() {
    return this.listeners.size;
  }

  /**
   * After a commit that wrote events (`emitted` moved on): tells every process to read them. Pokes
   * within a few milliseconds go out as one notification, sent outside any transaction.
   */
  poke() {
    if (this.pokeTimer || !this.stopListening) return;
    this.pokeTimer = setTimeout(() => {
      this.pokeTimer = undefined;
      sql`select pg_notify(${REALTIME_CHANNEL}, ${POKE})`.execute(this.database.db).catch((err) => {
        this.logger.warn({ err }, "realtime poke failed");
      });
    }, POKE_DELAY_MS);
  }

  /** Reads what is new in the outbox (one read at a time; a poke during a read reads again after it). */
  private read(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        try {
          await this.readOnce();
        } catch (err) {
          this.logger.warn({ err }, "reading realtime events failed");
        }
      } while (this.readAgain && this.stopListening);
    })().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readOnce() {
    const db = this.database.db;
    if (this.listeners.size === 0) {
      // Nobody to tell: only keep up (one indexed read), so whoever connects next hears what comes
      // after. (Catching up only when someone connects would race with that person's first events.)
      const subscribed = this.subscriptions;
      const newest = await this.newestId();
      // Someone who subscribed during the read must still hear what committed meanwhile.
      if (this.subscriptions === subscribed) {
        this.lastSeen = newest;
        this.holes.clear();
      }
      return;
    }
    const now = Date.now();
    for (const [id, since] of this.holes) if (now - since > HOLE_TTL_MS) this.holes.delete(id);
    const holes = [...this.holes.keys()];
    const rows = await db
      .selectFrom("domain_events")
      .select(["id", "type", "aggregate_type", "aggregate_id", "payload"])
      .where((eb) => (holes.length ? eb.or([eb("id", ">", this.lastSeen), eb("id", "in", holes)]) : eb("id", ">", this.lastSeen)))
      .orderBy("id")
      .limit(READ_LIMIT)
      .execute();
    for (const row of rows) {
      const id = Number(row.id);
      if (id > this.lastSeen) {
        // (A gap of thousands is not a transaction still committing: those are few at a time.)
        if (id - this.lastSeen <= 1000) for (let missing = this.lastSeen + 1; missing < id; missing++) this.holes.set(missing, now);
        this.lastSeen = id;
      } else this.holes.delete(id);
      this.deliver({
        id,
        type: row.type,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        payload: row.payload as Record<string, unknown>,
      });
    }
    if (rows.length === READ_LIMIT) this.readAgain = true;
  }

  private async newestId() {
    const row = await this.database.db
      .selectFrom("domain_events")
      .select((eb) => eb.fn.max("id").as("id"))
      .modifyEnd(prepared) // read at every notification
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  private deliver(event: RealtimeEvent) {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.warn({ err }, "realtime listener failed");
      }
    }
  }
}
