import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { AgentBoard } from "./agent-board";
import { evaluateAgents } from "./eligible-agents";
import { routingDirectory } from "./routing-directory";
import { rankCandidates } from "./strategies";

/**
 * The member of a team its strategy would choose for a piece of work now (online, on shift, under
 * capacity, best skill/load/turn), or null when nobody is free or the team works by claim or by
 * hand — then the work waits in the team's pool. Used for process steps a team owns; it books no
 * ticket capacity (a step is not an assigned ticket).
 */
export async function pickTeamMember(
  ctx: AppContext,
  trx: Transaction<DB>,
  teamId: number,
  work: { channel: string; category_id: number | null },
): Promise<{ staffId: number | null; departmentId: number | null } | null> {
  const dir = await routingDirectory(ctx.db, trx);
  const team = dir.teams.get(teamId);
  if (!team) return null;
  if (team.strategy === "claim" || team.strategy === "manual") return { staffId: null, departmentId: team.departmentId };
  const { eligible } = await evaluateAgents(new AgentBoard(trx, ctx.db), dir, team.memberIds, work, {
    now: new Date(),
    timeZone: ctx.config.timeZone,
    exclude: [],
    requireSkills: false,
    handling: { byCategory: new Map(), overall: null },
  });
  return { staffId: rankCandidates(team.strategy, eligible)[0]?.staffId ?? null, departmentId: team.departmentId };
}
