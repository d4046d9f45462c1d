import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import type { DB } from "./schema";

/** How long a report waits for the replica to replay what the primary has, before reading the primary. */
const CATCH_UP_MS = 1000;
const CHECK_EVERY_MS = 20;

export type ReadReplicaStatus = {
  /** Whether the replica answered just now. */
  reachable: boolean;
  /** Whether it is a standby replaying the primary's WAL (false: it was promoted, or is not a replica). */
  standby: boolean;
  /** WAL the replica has still to replay (bytes; null when unknown). */
  lagBytes: number | null;
  /** Report reads since this process started: on the replica, and on the primary because the replica was behind or unreachable. */
  reads: { replica: number; primary: number };
};

/**
 * Where reports and exports read. With a streaming replica (DATABASE_READ_URL) a read goes there
 * once the replica has replayed everything the primary had committed when the read began — so a
 * report or export never misses a change anyone made before asking for it, whichever process
 * served that change. A replica that is behind for more than a second, unreachable or no longer a
 * standby sends the read to the primary. Without a replica every read is the primary's.
 * The ticket page, lists and search always read the primary.
 */
export class ReadRouter {
  private readonly reads = { replica: 0, primary: 0 };
  private warned = false;

  constructor(
    private readonly primary: Kysely<DB>,
    private readonly replica: Kysely<DB> | undefined,
    private readonly logger: Logger,
  ) {}

  get hasReplica() {
    return this.replica !== undefined;
  }

  /** The database a report or export reads now. */
  async forReport(): Promise<Kysely<DB>> {
    const replica = this.replica;
    if (!replica) return this.primary;
    try {
      const target = await this.primaryPosition();
      const deadline = Date.now() + CATCH_UP_MS;
      for (;;) {
        const { standby, caughtUp } = await this.replicaPosition(replica, target);
        if (!standby) {
          this.warnOnce("DATABASE_READ_URL is not a standby (promoted, or another primary): reports read the primary");
          break;
        }
        if (caughtUp) {
          this.reads.replica++;
          return replica;
        }
        if (Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, CHECK_EVERY_MS));
      }
    } catch (err) {
      this.warnOnce("the read replica cannot be reached: reports read the primary", err);
    }
    this.reads.primary++;
    return this.primary;
  }

  async status(): Promise<ReadReplicaStatus | null> {
    const replica = this.replica;
    if (!replica) return null;
    const reads = { ...this.reads };
    try {
      const target = await this.primaryPosition();
      const { standby, lagBytes } = await this.replicaPosition(replica, target);
      return { reachable: true, standby, lagBytes, reads };
    } catch {
      return { reachable: false, standby: false, lagBytes: null, reads };
    }
  }

  private async primaryPosition() {
    const { rows } = await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(this.primary);
    return rows[0]?.lsn as string;
  }

  private async replicaPosition(replica: Kysely<DB>, target: string) {
    const { rows } = await sql<{ standby: boolean; lag: string | null }>`
      select pg_is_in_recovery() as standby, pg_wal_lsn_diff(${target}::pg_lsn, pg_last_wal_replay_lsn())::text as lag`.execute(replica);
    const row = rows[0];
    const lagBytes = row?.lag === null || row?.lag === undefined ? null : Math.max(0, Number(row.lag));
    return { standby: row?.standby === true, lagBytes, caughtUp: lagBytes !== null && lagBytes <= 0 };
  }

  private warnOnce(message: string, err?: unknown) {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn({ err }, message);
  }
}
