import type { Executor } from "../../platform/jobs/job-queue";
import { agentStatesWithLoads } from "./agent-state-service";

export type AgentRow = Awaited<ReturnType<typeof agentStatesWithLoads>>[number];

/**
 * The agents' states as a run of decisions sees them: read once (one query per set of agents not
 * seen yet) and kept current in memory as the run books assignments, so ten tickets for one team
 * read its members once. The database still has the last word: the claim re-checks capacity under
 * the agents' row locks, and an agent whose claim was refused is read again.
 */
export class AgentBoard {
  private readonly rows = new Map<number, AgentRow>();

  constructor(private readonly db: Executor) {}

  async get(staffIds: number[]): Promise<Map<number, AgentRow>> {
    const missing = staffIds.filter((id) => !this.rows.has(id));
    if (missing.length) for (const r of await agentStatesWithLoads(this.db, missing)) this.rows.set(r.staffId, r);
    const found = new Map<number, AgentRow>();
    for (const id of staffIds) {
      const r = this.rows.get(id);
      if (r) found.set(id, r);
    }
    return found;
  }

  /** One more open ticket for this agent, as the assignment will count it once written. */
  book(staffId: number, ticket: { channel: string; category_id: number | null }, at: Date) {
    const r = this.rows.get(staffId);
    if (!r) return;
    const category = ticket.category_id ?? 0;
    r.load.total += 1;
    r.load.byChannel = { ...r.load.byChannel, [ticket.channel]: (r.load.byChannel[ticket.channel] ?? 0) + 1 };
    r.load.byCategory.set(category, (r.load.byCategory.get(category) ?? 0) + 1);
    r.lastAssignedAt = at;
  }

  /** Read these agents again next time (the database refused a booking: someone else filled them up). */
  forget(staffIds: number[]) {
    for (const id of staffIds) this.rows.delete(id);
  }
}
