import type { AgentStats, TeamStats } from "@loopdesk/contracts/analytics";
import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";
import { listTeams } from "../directory/team-service";
import { staffNames } from "../staff/staff-service";
import { mean } from "./report-range";

const MEASURES = [
  "first_responses",
  "frt_sum",
  "frt_bus_sum",
  "resolved",
  "res_sum",
  "res_bus_sum",
  "fcr",
  "reopened",
  "csat_count",
  "csat_sum",
  "sla_fr_breached",
  "sla_res_breached",
] as const;
type Sums = Record<(typeof MEASURES)[number], number> & { load: number };
const emptySums = (): Sums => ({
  ...(Object.fromEntries(MEASURES.map((m) => [m, 0])) as Record<(typeof MEASURES)[number], number>),
  load: 0,
});

/** Per agent over a day range (from the agents' daily rollup), with their open load now; `agentIds` narrows it. */
async function agentSums(db: Executor, from: string, to: string, agentIds?: number[]) {
  if (agentIds && agentIds.length === 0) return new Map<number, Sums>();
  const only = agentIds ? sql`and agent_id in (${sql.join(agentIds)})` : sql``;
  const onlyAssignee = agentIds ? sql`and assignee_id in (${sql.join(agentIds)})` : sql``;
  const [rows, load] = await Promise.all([
    sql<Record<string, number>>`
      select agent_id, ${sql.raw(MEASURES.map((m) => `sum(${m})::float8 as ${m}`).join(", "))}
      from analytics_agent_daily where day >= ${from}::date and day <= ${to}::date ${only}
      group by agent_id`.execute(db),
    sql<{ agent_id: number; n: number }>`
      select assignee_id as agent_id, count(*)::int as n from analytics_ticket_facts
      where unresolved and assignee_id is not null ${onlyAssignee} group by assignee_id`.execute(db),
  ]);
  const out = new Map<number, Sums>();
  for (const r of rows.rows) {
    const s = emptySums();
    for (const m of MEASURES) s[m] = Number(r[m]);
    out.set(Number(r.agent_id), s);
  }
  for (const id of agentIds ?? []) if (!out.has(id)) out.set(id, emptySums());
  for (const r of load.rows) {
    const s = out.get(r.agent_id) ?? emptySums();
    s.load = r.n;
    out.set(r.agent_id, s);
  }
  return out;
}

function statsOf(s: Sums) {
  return {
    handled: s.resolved,
    firstResponses: s.first_responses,
    frtMean: mean(s.frt_sum, s.first_responses),
    frtBusinessMean: mean(s.frt_bus_sum, s.first_responses),
    resolutionMean: mean(s.res_sum, s.resolved),
    resolutionBusinessMean: mean(s.res_bus_sum, s.resolved),
    fcrRate: mean(s.fcr, s.resolved),
    reopenRate: mean(s.reopened, s.resolved),
    csatCount: s.csat_count,
    csatAverage: mean(s.csat_sum, s.csat_count),
    slaBreached: s.sla_fr_breached + s.sla_res_breached,
    load: s.load,
  };
}

/** Every agent with activity or load in the range (or the given ones), busiest first. */
export async function agentReport(db: Executor, from: string, to: string, agentIds?: number[]): Promise<AgentStats[]> {
  const sums = await agentSums(db, from, to, agentIds);
  const names = await staffNames(db, [...sums.keys()]);
  return [...sums.entries()]
    .map(([agentId, s]) => ({ agentId, name: names.get(agentId) ?? `#${agentId}`, ...statsOf(s) }))
    .sort((a, b) => b.handled - a.handled || b.firstResponses - a.firstResponses || a.agentId - b.agentId);
}

/**
 * Teams side by side: each team's members' numbers added up (someone in two teams counts in both);
 * `memberId`: only that person's teams; `departmentIds`: only those departments' teams.
 */
export async function teamReport(
  db: Executor,
  from: string,
  to: string,
  only: { memberId?: number; departmentIds?: number[] | null } = {},
): Promise<TeamStats[]> {
  const teams = (await listTeams(db)).filter(
    (t) =>
      (only.memberId === undefined || t.memberIds.includes(only.memberId)) &&
      (only.departmentIds == null || only.departmentIds.includes(t.departmentId)),
  );
  const sums = await agentSums(db, from, to, [...new Set(teams.flatMap((t) => t.memberIds))]);
  return teams.map((t) => {
    const total = emptySums();
    for (const id of t.memberIds) {
      const s = sums.get(id);
      if (!s) continue;
      for (const m of MEASURES) total[m] += s[m];
      total.load += s.load;
    }
    return { teamId: t.id, name: t.name, members: t.memberIds.length, ...statsOf(total) };
  });
}

export async function teamMemberIds(db: Executor, teamId: number) {
  return (await listTeams(db)).find((t) => t.id === teamId)?.memberIds ?? null;
}
