import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { completeTaskBody, customerProgress, listTasksQuery, processTask, reassignTaskBody } from "@loopdesk/contracts/processes";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { actorOf } from "../tickets/ticket-events";
import { openWhenOwnerWorks } from "../tickets/ticket-taken-up";
import { completeTask, reassignTask } from "./complete-task";
import { customerProgress as progressOf } from "./process-instances";
import { countMyTasks, listTasks, loadCustomerTask, loadTask, lockTaskWithTicket, presentTasks } from "./process-tasks";

const tags = ["tasks"];

/** Tasks (待办): the active steps of processes, in their owners' queues; and the customer's view of a process. */
export function registerTaskRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/tasks",
    summary: "我的待办 (`scope=mine`), the caller's departments' tasks (`team`), or every task (`all`, admins); most urgent first",
    tags,
    access: "staff",
    query: listTasksQuery,
    responses: { 200: z.object({ items: z.array(processTask) }) },
    handler: async ({ principal, query }) => ({ items: await listTasks(ctx.db, principal, query) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/tasks/count",
    summary: "How many tasks wait for the caller",
    tags,
    access: "staff",
    responses: { 200: z.object({ mine: z.number() }) },
    handler: async ({ principal }) => ({ mine: await countMyTasks(ctx.db, principal) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/tasks/:id",
    summary: "One task with its form",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: processTask },
    handler: async ({ principal, params }) => (await presentTasks(ctx.db, [await loadTask(ctx.db, ctx.db, principal, params.id)]))[0],
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tasks/:id/complete",
    summary:
      "Finish a step with its form's answers, or decide an approval (`decision`, a rejection needs `comment`). 409 when already finished; 400 lists every wrong answer and changes nothing",
    tags,
    access: "staff",
    params: idParams,
    body: completeTaskBody,
    responses: { 200: processTask },
    handler: async ({ principal, params, body }) => {
      return ctx.db.transaction().execute(async (trx) => {
        const { task, run } = await lockTaskWithTicket(ctx.db, trx, principal, params.id);
        const done = await completeTask(ctx, trx, { task, run, actor: actorOf(principal), staffId: principal.id }, body);
        await openWhenOwnerWorks(ctx, trx, task.ticket_id, actorOf(principal));
        return done;
      });
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tasks/:id/claim",
    summary: "Take a task from the pool (first claim wins; 409 when someone else has it)",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: processTask },
    handler: ({ principal, params }) =>
      ctx.db.transaction().execute((trx) => reassignTask(ctx, trx, principal, params.id, { assigneeId: principal.id, claim: true })),
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/tasks/:id",
    summary: "Hand a task to someone else (its holder, a supervisor or an admin), with a reason; null puts it back in the pool",
    tags,
    access: "staff",
    params: idParams,
    body: reassignTaskBody,
    responses: { 200: processTask },
    handler: ({ principal, params, body }) => ctx.db.transaction().execute((trx) => reassignTask(ctx, trx, principal, params.id, body)),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/progress",
    summary: "The customer's view of the ticket's process: stages done, current and to come, and anything asked of them",
    tags,
    access: "any",
    params: idParams,
    responses: { 200: z.object({ progress: customerProgress.nullable() }) },
    handler: async ({ principal, params }) => {
      await loadVisibleTicket(ctx.db, principal, params.id);
      return { progress: await progressOf(ctx.db, params.id) };
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/progress/:taskId",
    summary: "The customer answers a step that asks them (the form's values); the process goes on",
    tags,
    access: "customer",
    params: z.object({ id: idParams.shape.id, taskId: idParams.shape.id }),
    body: completeTaskBody.pick({ values: true, comment: true }),
    responses: { 200: z.object({ progress: customerProgress.nullable() }) },
    handler: async ({ principal, params, body }) => {
      await ctx.db.transaction().execute(async (trx) => {
        const ticket = await loadVisibleTicket(trx, principal, params.id, { forUpdate: true });
        const task = await loadCustomerTask(trx, params.id, params.taskId);
        await completeTask(
          ctx,
          trx,
          { task, ticket, actor: actorOf(principal), staffId: null },
          { values: body.values, comment: body.comment },
        );
      });
      return { progress: await progressOf(ctx.db, params.id) };
    },
  });
}
