import { usageFlag } from "../../platform/events/usage-flag";
import type { Executor } from "../../platform/jobs/job-queue";
import { getRoutingSettings } from "./routing-settings";

/** Whether routing is set up (a rule, a default team or any team): otherwise new tickets cost no routing job. */
export const routingUsage = usageFlag(async (db) => {
  const rule = await db.selectFrom("routing_rules").select("id").where("active", "=", true).limit(1).executeTakeFirst();
  if (rule) return true;
  if ((await db.selectFrom("teams").select("id").limit(1).executeTakeFirst()) !== undefined) return true;
  return (await getRoutingSettings(db)).defaultTeamId !== null;
});
export const markRoutingInUse = (db: Executor) => routingUsage.markInUse(db);
