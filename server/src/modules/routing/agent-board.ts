import type { Executor } from "../../platform/jobs/job-queue";
import { agentStatesChanged } from "./agent-state-service";

export type AgentRow = Awaited<ReturnType<typeof agentStatesChanged>>[number];

/** What a run works out once per agent rather than once per ticket (the run's clock does not move). */
export type AgentDerived = { onShift?: boolean; workload?: number; lastAssignedIso?: string | null };

/**
 * The agents' rows as this process last read them, each with its version (one per database). Rows
 * are never changed in place: a run that books on an agent works on its own copy.
 */
const knownRows = new WeakMap<object, Map<number, AgentRow>>();

/**
 * The agents' states as a run of decisions sees them: read once per run (one query per set of
 * agents not seen yet in the run) and kept current in memory as the run books assignments, so ten
 * tickets for one team read its members once. The query returns only the rows whose version
 * differs from the one this process already holds, so a run parses just the agents that changed
 * since any earlier run — what it sees is still the database's state as of its query. The database
 * has the last word: the claim re-checks capacity under the agents' row locks, and an agent whose
 * claim was refused is read again.
 */
export class AgentBoard {
  private readonly rows = new Map<number, AgentRow>();
  private readonly derived = new Map<number, AgentDerived>();
  /** Agents whose row this run has copied to book on. */
  private readonly own = new Set<number>();
  private readonly known: Map<number, AgentRow>;

  /** `cacheKey`: what identifies the database across runs (the application's Kysely instance). */
  constructor(
    private readonly db: Executor,
    cacheKey: object,
  ) {
    let known = knownRows.get(cacheKey);
    if (!known) {
      known = new Map();
      knownRows.set(cacheKey, known);
    }
    this.known = known;
  }

  async get(staffIds: number[]): Promise<Map<number, AgentRow>> {
    const missing = staffIds.filter((id) => !this.rows.has(id));
    if (missing.length) {
      const changed = await agentStatesChanged(
        this.db,
        missing,
        missing.map((id) => this.known.get(id)?.version ?? null),
      );
      for (const r of changed) this.known.set(r.staffId, r);
      for (const id of missing) {
        const r = this.known.get(id);
        if (r) this.rows.set(id, r);
      }
    }
    const found = new Map<number, AgentRow>();
    for (const id of staffIds) {
      const r = this.rows.get(id);
      if (r) found.set(id, r);
    }
    return found;
  }

  /** The agent's derived values for this run, filled in by whoever needs them first; cleared when their row changes. */
  memo(staffId: number): AgentDerived {
    let d = this.derived.get(staffId);
    if (!d) {
      d = {};
      this.derived.set(staffId, d);
    }
    return d;
  }

  /** One more open ticket for this agent, as the assignment will count it once written. */
  book(staffId: number, ticket: { channel: string; category_id: number | null }, at: Date) {
    let r = this.rows.get(staffId);
    if (!r) return;
    if (!this.own.has(staffId)) {
      // The shared row stays as read; this run's bookings are its own until they are written.
      r = { ...r, load: { total: r.load.total, byChannel: { ...r.load.byChannel }, byCategory: new Map(r.load.byCategory) } };
      this.rows.set(staffId, r);
      this.own.add(staffId);
    }
    const category = ticket.category_id ?? 0;
    r.load.total += 1;
    r.load.byChannel[ticket.channel] = (r.load.byChannel[ticket.channel] ?? 0) + 1;
    r.load.byCategory.set(category, (r.load.byCategory.get(category) ?? 0) + 1);
    r.lastAssignedAt = at;
    // Shift presence does not change with a booking; the workload and the last assignment do.
    const d = this.derived.get(staffId);
    if (d) {
      d.workload = undefined;
      d.lastAssignedIso = undefined;
    }
  }

  /** Read these agents again next time (the database refused a booking: someone else filled them up). */
  forget(staffIds: number[]) {
    for (const id of staffIds) {
      this.rows.delete(id);
      this.derived.delete(id);
      this.own.delete(id);
      // Also what the process holds: the next read then returns the row whatever its version.
      this.known.delete(id);
    }
  }
}
