import type { migrateInstancesBody } from "@loopdesk/contracts/processes";
import type { Transaction } from "kysely";
import type { z } from "zod";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { NotFoundError, ValidationError } from "../../platform/errors";
import { type Actor, recordTicketEvents } from "../tickets/ticket-events";
import { GraphIndex } from "./process-engine";

/**
 * Moves the running instances of an older version onto the current one — an explicit admin action.
 * An instance moves when every step it waits on (and every join a branch reached) exists in the new
 * version, under its id or the id `nodeMap` gives; otherwise it stays on its version, reported with why.
 */
export async function migrateInstances(
  _ctx: AppContext,
  trx: Transaction<DB>,
  definitionId: number,
  input: z.output<typeof migrateInstancesBody>,
  actor: Actor,
) {
  const def = await trx.selectFrom("process_definitions").selectAll().where("id", "=", definitionId).executeTakeFirst();
  if (!def || def.current_version === null) throw NotFoundError("Process");
  const [from, to] = await Promise.all([
    trx
      .selectFrom("process_versions")
      .selectAll()
      .where("definition_id", "=", definitionId)
      .where("version", "=", input.fromVersion)
      .executeTakeFirst(),
    trx
      .selectFrom("process_versions")
      .selectAll()
      .where("definition_id", "=", definitionId)
      .where("version", "=", def.current_version)
      .executeTakeFirstOrThrow(),
  ]);
  if (!from) throw ValidationError([{ path: "fromVersion", code: "unknown_version", message: "No such version." }]);
  const target = new GraphIndex(to.graph);
  const moved: { instanceId: number; ticketId: number }[] = [];
  const skipped: { instanceId: number; ticketId: number; reason: string }[] = [];
  const instances = await trx
    .selectFrom("process_instances")
    .selectAll()
    .where("version_id", "=", from.id)
    .where("status", "=", "running")
    .forUpdate()
    .execute();
  const map = (id: string) => input.nodeMap[id] ?? id;
  for (const i of instances) {
    const active = i.state.active.map(map);
    const joins = Object.fromEntries(Object.entries(i.state.joins).map(([k, v]) => [map(k), v]));
    const missing = [...active, ...Object.keys(joins)].filter((id) => {
      const n = target.nodes.get(id);
      return !n || !["task", "approval", "subprocess", "parallel_join"].includes(n.type);
    });
    if (missing.length) {
      skipped.push({ instanceId: i.id, ticketId: i.ticket_id, reason: `missing_nodes:${missing.join(",")}` });
      continue;
    }
    await trx
      .updateTable("process_instances")
      .set({ version_id: to.id, state: JSON.stringify({ ...i.state, active, joins }), row_version: i.row_version + 1 })
      .where("id", "=", i.id)
      .execute();
    for (const [old, now] of Object.entries(input.nodeMap))
      await trx
        .updateTable("process_tasks")
        .set({ node_id: now })
        .where("instance_id", "=", i.id)
        .where("node_id", "=", old)
        .where("status", "=", "active")
        .execute();
    await recordTicketEvents(trx, i.ticket_id, actor, [
      {
        type: "process_migrated",
        data: { name: def.name, instanceId: i.id, version: def.current_version, migratedFrom: input.fromVersion },
      },
    ]);
    moved.push({ instanceId: i.id, ticketId: i.ticket_id });
  }
  return { moved, skipped };
}
