import { sql } from "kysely";
import type { Logger } from "pino";
import type { Executor } from "../jobs/job-queue";
import type { Database } from "../../db/database";
import { type DomainEvent, REALTIME_CHANNEL } from "../events/event-bus";

export type RealtimeEvent = Omit<DomainEvent, "createdAt">;

/**
 * Sends a short-lived event (not stored, no subscribers' jobs) to every process's live
 * connections, e.g. who is viewing a ticket. Inside a transaction it goes out on commit.
 */
export async function publishEphemeral(db: Executor, event: Omit<RealtimeEvent, "id">) {
  await sql`select pg_notify(${REALTIME_CHANNEL}, ${JSON.stringify({ id: 0, ...event })})`.execute(db);
}

/**
 * Fans committed domain events out to this process's live connections (SSE). Events arrive
 * through PostgreSQL LISTEN/NOTIFY, so a change made by any server process reaches every
 * process's clients.
 */
export class RealtimeHub {
  private readonly listeners = new Set<(e: RealtimeEvent) => void>();
  private stopListening?: () => Promise<void>;

  constructor(
    private readonly database: Pick<Database, "listen">,
    private readonly logger: Logger,
  ) {}

  async start() {
    if (this.stopListening) return;
    this.stopListening = await this.database.listen(REALTIME_CHANNEL, (payload) => {
      let event: RealtimeEvent;
      try {
        event = JSON.parse(payload);
      } catch {
        return;
      }
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.logger.warn({ err }, "realtime listener failed");
        }
      }
    });
  }

  async stop() {
    await this.stopListening?.();
    this.stopListening = undefined;
    this.listeners.clear();
  }

  subscribe(listener: (e: RealtimeEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get connections() {
    return this.listeners.size;
  }
}
