import type { AppContext } from "../../platform/context";
import { valuesFromText } from "../custom-fields/ticket-template";
import { lockTicket, ticketMessageForMail } from "../tickets/ticket-lookup";
import { asFieldDefinition, checkStepValues, completeTask } from "./complete-task";
import { customerStepUsage } from "./customer-step-usage";
import { loadRunning } from "./process-runtime";

/**
 * A step that asks the customer is answered where they are: besides the portal's form, a reply by
 * mail, IM or the portal's message box that states the step's fields ("名称：内容" lines, or a
 * field's pattern such as an order number) finishes the step with those answers, and the process
 * goes on. A reply that states none, or leaves a required field out, stays a message for the agents.
 */
export function registerCustomerAnswers(ctx: AppContext) {
  ctx.events.subscribe({
    name: "process-customer-answer",
    types: ["ticket.message_added"],
    active: () => customerStepUsage.inUse(ctx.db),
    accepts: ({ payload }) => payload.authorType === "customer",
    handle: async (event, { trx }) => {
      const ticket = await lockTicket(trx, event.aggregateId);
      if (!ticket) return;
      const tasks = await trx
        .selectFrom("process_tasks")
        .selectAll()
        .where("ticket_id", "=", ticket.id)
        .where("kind", "=", "customer")
        .where("status", "=", "active")
        .orderBy("id")
        .execute();
      if (tasks.length === 0) return;
      const message = await ticketMessageForMail(trx, Number(event.payload.messageId));
      if (!message) return;
      for (const task of tasks) {
        const run = await loadRunning(trx, task.instance_id, { lock: true, ticket });
        const node = run.g.nodes.get(task.node_id);
        if (!node || node.type !== "task") continue;
        const values = valuesFromText(node.form.map(asFieldDefinition), message.body_text);
        if (Object.keys(values).length === 0) continue;
        try {
          checkStepValues(node.form, values);
        } catch {
          continue;
        }
        const actor = { type: "customer" as const, id: ticket.customer_id };
        await completeTask(ctx, trx, { task, run, ticket, actor, staffId: null }, { values, comment: undefined });
        return;
      }
    },
  });
}
