import { usageFlag } from "../../platform/events/usage-flag";

/**
 * Whether any trigger is active: without one, ticket events cost no trigger job. Saving a trigger
 * marks it in use at once, whoever saves it (the API, the demo's seeding, an import).
 */
export const triggerUsage = usageFlag(
  async (db) => (await db.selectFrom("triggers").select("id").where("active", "=", true).limit(1).executeTakeFirst()) !== undefined,
);
