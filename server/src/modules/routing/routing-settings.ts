import type { PriorityConfig } from "@loopdesk/contracts/routing";
import { sql } from "kysely";
import { ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { existingTeamIds } from "../directory/team-service";
import { DEFAULT_PRIORITY_CONFIG } from "./priority-score";

const KEY = "routing";
export type RoutingSettings = { defaultTeamId: number | null; priority: PriorityConfig; transferReasonRequired: boolean };

/** The workspace's routing settings: the default team (the queue for tickets no rule routes) and the priority score's points. */
export async function getRoutingSettings(db: Executor): Promise<RoutingSettings> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  const value = (row?.value ?? {}) as Partial<RoutingSettings>;
  return {
    defaultTeamId: value.defaultTeamId ?? null,
    priority: value.priority ?? DEFAULT_PRIORITY_CONFIG,
    transferReasonRequired: value.transferReasonRequired ?? true,
  };
}

export async function saveRoutingSettings(db: Executor, input: Partial<RoutingSettings>) {
  if (input.defaultTeamId != null && (await existingTeamIds(db, [input.defaultTeamId])).length === 0)
    throw ValidationError([{ path: "defaultTeamId", code: "unknown_reference", message: "Unknown team." }]);
  const next = { ...(await getRoutingSettings(db)), ...input };
  await db
    .insertInto("settings")
    .values({ key: KEY, value: JSON.stringify(next) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(next), updated_at: sql`now()` }))
    .execute();
  scoringCache.delete(db.getExecutor().adapter);
  return next;
}

const SCORING_TTL_MS = 5_000;
const scoringCache = new WeakMap<object, { config: PriorityConfig; at: number }>();

/**
 * The priority score's points as this process last read them (at most 5 s old; a change saved
 * here is seen at once): a new ticket is scored without another query.
 */
export async function scoringConfig(db: Executor): Promise<PriorityConfig> {
  // A database and its transactions share one adapter object: the key for "this database".
  const key = db.getExecutor().adapter;
  const cached = scoringCache.get(key);
  if (cached && Date.now() - cached.at < SCORING_TTL_MS) return cached.config;
  const { priority } = await getRoutingSettings(db);
  scoringCache.set(key, { config: priority, at: Date.now() });
  return priority;
}
