import { sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";

/** The advisory lock routing runs from the queue take turns on (one bigint key; the two-int keys are another space). */
const ROUTING_TURN_LOCK = 0x4c44_5254; // "LDRT"

/**
 * Routing runs from the queue (new tickets, waiting tickets from the sweep, returned tickets) take
 * turns across all server processes, until their transaction ends. Concurrent runs rank the same
 * agents first, so they collided on them: each collision is a claim refused or waited for and a
 * round decided again. Measured on PostgreSQL with two routing workers, that cost 45% more CPU per
 * decision and a long tail of slow runs (docs/performance.md). In turn, every run decides against
 * counts no other run is changing, and the next run's tickets are already locked and waiting.
 * Decisions people ask for (transfer, reject, route now) do not take a turn: they are single
 * decisions, and the row locks keep them exact alongside a run.
 */
export async function takeRoutingTurn(db: Executor) {
  await sql`${prepared}select pg_advisory_xact_lock(${ROUTING_TURN_LOCK}::bigint)`.execute(db);
}
