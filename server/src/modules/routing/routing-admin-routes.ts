import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams, itemsOf as items } from "@loopdesk/contracts/common";
import {
  agentState,
  categorySkill,
  createRoutingRuleBody,
  routingBoard,
  routingRule,
  routingSettings,
  setCategorySkillsBody,
  setPresenceBody,
  teamRouting,
  updateAgentStateBody,
  updateRoutingRuleBody,
  updateRoutingSettingsBody,
  updateTeamRoutingBody,
} from "@loopdesk/contracts/routing";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { NotFoundError } from "../../platform/errors";
import { listTeamRouting, updateTeamRouting } from "../directory/team-service";
import { waitingTickets } from "../tickets/ticket-routing-state";
import { listAgentStates, setPresence, updateAgentState } from "./agent-state-service";
import { recentDecisions } from "./assignment-log";
import { listCategorySkills, setCategorySkills } from "./category-skills";
import { invalidateRoutingDirectory } from "./routing-directory";
import { rescoreEverything, returnTicketsOf, sweepSoon } from "./routing-jobs";
import { markRoutingInUse } from "./routing-usage";
import { createRoutingRule, deleteRoutingRule, listRoutingRulesWithProblems, updateRoutingRule } from "./routing-rules-service";
import { getRoutingSettings, saveRoutingSettings } from "./routing-settings";

const tags = ["routing"];
const ADMIN = ["admin"] as const;
const MANAGERS = ["admin", "supervisor"] as const;

/** Routing set-up (rules, strategies, skills, the score's points) and the live routing board. */
export function registerRoutingAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const db = ctx.db;
  /** A configuration change is seen by this process's next decision at once. */
  const changed = () => {
    invalidateRoutingDirectory(db);
    markRoutingInUse(db);
  };

  route(app, {
    method: "GET",
    url: "/api/v1/routing/settings",
    summary: "Default team and the priority score's points",
    tags,
    access: MANAGERS,
    responses: { 200: routingSettings },
    handler: () => getRoutingSettings(db),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/routing/settings",
    summary: "Change the default team or the score's points (every open ticket is rescored)",
    tags,
    access: ADMIN,
    body: updateRoutingSettingsBody,
    responses: { 200: routingSettings },
    handler: async ({ body }) => {
      const saved = await db.transaction().execute(async (trx) => {
        const next = await saveRoutingSettings(trx, body);
        if (body.priority) await rescoreEverything(trx);
        return next;
      });
      changed();
      ctx.jobs.wake();
      return saved;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/routing/rules",
    summary: "Routing rules in the order they are tried",
    tags,
    access: MANAGERS,
    responses: { 200: items(routingRule) },
    handler: async () => ({ items: await listRoutingRulesWithProblems(db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/routing/rules",
    summary: "Create a routing rule (conditions → team, or named agents for a green channel)",
    tags,
    access: ADMIN,
    audit: { table: "routing_rules" },
    body: createRoutingRuleBody,
    responses: { 201: routingRule },
    handler: async ({ reply, body }) => {
      const rule = await createRoutingRule(db, body);
      changed();
      reply.code(201);
      return rule;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/routing/rules/:id",
    summary: "Change a routing rule",
    tags,
    access: ADMIN,
    audit: { table: "routing_rules" },
    params: idParams,
    body: updateRoutingRuleBody,
    responses: { 200: routingRule },
    handler: async ({ params, body }) => {
      const rule = await updateRoutingRule(db, params.id, body);
      changed();
      return rule;
    },
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/routing/rules/:id",
    summary: "Delete a routing rule",
    tags,
    access: ADMIN,
    audit: { table: "routing_rules" },
    params: idParams,
    responses: { 204: null },
    handler: async ({ params }) => {
      await deleteRoutingRule(db, params.id);
      changed();
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/routing/teams",
    summary: "Each team's strategy, claim timeout and fallback team",
    tags,
    access: MANAGERS,
    responses: { 200: items(teamRouting) },
    handler: async () => ({ items: await listTeamRouting(db) }),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/routing/teams/:id",
    summary: "Set a team's strategy, claim timeout or fallback team (a fallback cycle is refused)",
    tags,
    access: ADMIN,
    audit: { table: "teams" },
    params: idParams,
    body: updateTeamRoutingBody,
    responses: { 200: teamRouting },
    handler: async ({ params, body }) => {
      const team = await updateTeamRouting(db, params.id, body);
      changed();
      return team;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/routing/category-skills",
    summary: "Skills each category requires (skill-based routing)",
    tags,
    access: MANAGERS,
    responses: { 200: z.object({ items: z.array(z.object({ categoryId: z.number(), skills: z.array(categorySkill) })) }) },
    handler: async () => ({ items: await listCategorySkills(db) }),
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/routing/category-skills/:id",
    summary: "Set the skills a category requires, with minimum levels",
    tags,
    access: ADMIN,
    params: idParams,
    body: setCategorySkillsBody,
    responses: { 200: z.object({ categoryId: z.number(), skills: z.array(categorySkill) }) },
    handler: async ({ params, body }) => {
      const result = await setCategorySkills(db, params.id, body.skills);
      changed();
      return result;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/routing/agents",
    summary: "Every agent's presence, shift, capacity and load",
    tags,
    access: MANAGERS,
    responses: { 200: items(agentState) },
    handler: async () => ({ items: await listAgentStates(db, ctx.config.timeZone) }),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/routing/agents/:id",
    summary: "Set an agent's capacity (also per channel), weekly shifts and exceptions",
    tags,
    access: MANAGERS,
    params: idParams,
    body: updateAgentStateBody,
    responses: { 200: agentState },
    handler: async ({ params, body }) => {
      await updateAgentState(db, params.id, body);
      await db.transaction().execute((trx) => sweepSoon(trx));
      ctx.jobs.wake();
      const state = (await listAgentStates(db, ctx.config.timeZone)).find((a) => a.staffId === params.id);
      if (!state) throw NotFoundError("Staff member");
      return state;
    },
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/routing/agents/:id/presence",
    summary: "Set someone's presence (e.g. a supervisor signs off an agent who left)",
    tags,
    access: MANAGERS,
    params: idParams,
    body: setPresenceBody,
    responses: { 200: z.object({ presence: setPresenceBody.shape.presence }) },
    handler: async ({ params, body }) => {
      if (!(await listAgentStates(db, ctx.config.timeZone)).some((a) => a.staffId === params.id)) throw NotFoundError("Staff member");
      await db.transaction().execute(async (trx) => {
        await setPresence(trx, params.id, body.presence, "system");
        if (body.presence === "online") await sweepSoon(trx);
        else await returnTicketsOf(trx, params.id);
      });
      ctx.jobs.wake();
      return { presence: body.presence };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/routing/board",
    summary: "Live routing board: who is online, each agent's load, waiting tickets, recent decisions",
    tags,
    access: MANAGERS,
    responses: { 200: routingBoard },
    handler: async () => {
      const [agents, waiting, decisions] = await Promise.all([
        listAgentStates(db, ctx.config.timeZone),
        waitingTickets(db, 100),
        recentDecisions(db, 50),
      ]);
      return {
        agents,
        waiting: waiting.map((w) => ({
          ticketId: w.id,
          number: w.number,
          subject: w.subject,
          teamId: w.team_id,
          routingStatus: w.routing_status,
          priorityScore: w.priority_score,
          createdAt: w.created_at.toISOString(),
        })),
        decisions,
      };
    },
  });
}
