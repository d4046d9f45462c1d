import type { AppContext } from "../../platform/context";
import { usageFlag } from "../../platform/events/usage-flag";

/** Whether a step waits on a customer anywhere (then each customer message is read for its answer). */
export const customerStepUsage = usageFlag(
  async (db) =>
    (await db
      .selectFrom("process_tasks")
      .select("id")
      .where("kind", "=", "customer")
      .where("status", "=", "active")
      .limit(1)
      .executeTakeFirst()) !== undefined,
);

/** Marks customer steps in use at once in this process (a step just asked a customer). */
export const markCustomerStepInUse = (ctx: AppContext) => customerStepUsage.markInUse(ctx.db);
