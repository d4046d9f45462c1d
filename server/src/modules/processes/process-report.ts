import type { ProcessGraph, ProcessReport, processDrillQuery } from "@loopdesk/contracts/processes";
import type { z } from "zod";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { Executor } from "../../platform/jobs/job-queue";
import { rangeInstants } from "../analytics/report-range";
import { withDescendants } from "../directory/department-service";
import { visibleAmong } from "../tickets/ticket-access";
import { ticketDepartments } from "../tickets/ticket-lookup";

const HOUR = 3_600_000;

/** The p-th percentile (0–1) of sorted values, by nearest rank; null for none. */
function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}
const inHours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR) * 10) / 10);
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: inHours(percentile(sorted, 0.5)), p90: inHours(percentile(sorted, 0.9)) };
};

/**
 * The instances a reader's process report covers: started in the range (report time zone); for a
 * supervisor only those on tickets of their departments or with a step their departments held.
 */
async function instancesFor(db: Executor, principal: StaffPrincipal, from: string, to: string, timeZone: string) {
  const { start, end } = rangeInstants(from, to, timeZone);
  const rows = await db
    .selectFrom("process_instances as i")
    .select(["i.id", "i.definition_id", "i.version_id", "i.status", "i.started_at", "i.finished_at", "i.ticket_id"])
    .where("i.started_at", ">=", start)
    .where("i.started_at", "<", end)
    .where("i.parent_instance_id", "is", null)
    .execute();
  if (principal.role === "admin" || rows.length === 0) return rows;
  const departments = new Set(await withDescendants(db, principal.departmentIds));
  const [ticketDepartment, held] = await Promise.all([
    ticketDepartments(
      db,
      rows.map((r) => r.ticket_id),
    ),
    db
      .selectFrom("process_tasks")
      .select("instance_id")
      .distinct()
      .where(
        "instance_id",
        "in",
        rows.map((r) => r.id),
      )
      .where("department_id", "in", departments.size ? [...departments] : [0])
      .execute(),
  ]);
  const heldThere = new Set(held.map((h) => h.instance_id));
  return rows.filter((r) => heldThere.has(r.id) || departments.has(ticketDepartment.get(r.ticket_id) ?? -1));
}

/**
 * 流程 report: per process, instances started and how they ended, cycle time (median, p90), and per
 * step the time it waited for someone to take it and the time it was worked, how many wait there now
 * (and for how long the oldest has), and for approvals how often they rejected.
 */
export async function processReport(
  db: Executor,
  principal: StaffPrincipal,
  range: { from: string; to: string },
  timeZone: string,
): Promise<ProcessReport> {
  const instances = await instancesFor(db, principal, range.from, range.to, timeZone);
  if (instances.length === 0) return { ...range, items: [] };
  const ids = instances.map((i) => i.id);
  const [tasks, definitions, versions] = await Promise.all([
    db
      .selectFrom("process_tasks")
      .select(["instance_id", "node_id", "kind", "status", "started_at", "claimed_at", "completed_at", "due_at"])
      .where("instance_id", "in", ids)
      .execute(),
    db
      .selectFrom("process_definitions")
      .select(["id", "key", "name"])
      .where("id", "in", [...new Set(instances.map((i) => i.definition_id))])
      .execute(),
    db
      .selectFrom("process_versions")
      .select(["id", "graph"])
      .where("id", "in", [...new Set(instances.map((i) => i.version_id))])
      .execute(),
  ]);
  const now = Date.now();
  const items = definitions.map((d) => {
    const mine = instances.filter((i) => i.definition_id === d.id);
    const mineIds = new Set(mine.map((i) => i.id));
    const cycles = mine
      .filter((i) => i.status === "completed" && i.finished_at)
      .map((i) => (i.finished_at as Date).getTime() - i.started_at.getTime());
    const cycle = stats(cycles);
    // Steps in the order of the newest version's graph.
    const graph = versions.filter((v) => mine.some((i) => i.version_id === v.id)).at(-1)?.graph as ProcessGraph | undefined;
    const stepNodes = (graph?.nodes ?? []).filter((n) => n.type === "task" || n.type === "approval");
    const steps = stepNodes.map((n) => {
      const at = tasks.filter((t) => mineIds.has(t.instance_id) && t.node_id === n.id);
      const done = at.filter((t) => t.completed_at && t.status !== "cancelled");
      const waiting = stats(done.map((t) => (t.claimed_at ?? t.started_at).getTime() - t.started_at.getTime()));
      const working = stats(done.map((t) => (t.completed_at as Date).getTime() - (t.claimed_at ?? t.started_at).getTime()));
      const total = stats(done.map((t) => (t.completed_at as Date).getTime() - t.started_at.getTime()));
      const active = at.filter((t) => t.status === "active");
      const decided = at.filter((t) => t.status === "approved" || t.status === "rejected");
      return {
        nodeId: n.id,
        name: n.name || n.id,
        type: n.type,
        finished: done.length,
        waitingMedianHours: waiting.median,
        workingMedianHours: working.median,
        totalMedianHours: total.median,
        totalP90Hours: total.p90,
        activeNow: active.length,
        oldestActiveHours: active.length ? inHours(Math.max(...active.map((t) => now - t.started_at.getTime()))) : null,
        overdueNow: active.filter((t) => t.due_at && t.due_at.getTime() < now).length,
        rejectionRate:
          n.type === "approval" && decided.length
            ? Math.round((decided.filter((t) => t.status === "rejected").length / decided.length) * 1000) / 1000
            : null,
      };
    });
    const count = (s: string) => mine.filter((i) => i.status === s).length;
    return {
      definitionId: d.id,
      key: d.key,
      name: d.name,
      started: mine.length,
      completed: count("completed"),
      rejected: count("rejected"),
      cancelled: count("cancelled"),
      running: count("running"),
      cycleMedianHours: cycle.median,
      cycleP90Hours: cycle.p90,
      steps,
    };
  });
  return { ...range, items: items.sort((a, b) => b.started - a.started) };
}

/** The tickets behind a number of the process report (those the reader may open). */
export async function processDrillTickets(
  db: Executor,
  principal: StaffPrincipal,
  q: z.output<typeof processDrillQuery>,
  timeZone: string,
) {
  const instances = (await instancesFor(db, principal, q.from, q.to, timeZone)).filter((i) => i.definition_id === q.definitionId);
  let chosen = instances;
  if (q.which === "running" || q.which === "completed" || q.which === "rejected") chosen = instances.filter((i) => i.status === q.which);
  if (q.nodeId) {
    const at = await db
      .selectFrom("process_tasks")
      .select("instance_id")
      .where("node_id", "=", q.nodeId)
      .where("instance_id", "in", instances.length ? instances.map((i) => i.id) : [0])
      .$if(q.which === "active", (b) => b.where("status", "=", "active"))
      .execute();
    const hit = new Set(at.map((t) => t.instance_id));
    chosen = chosen.filter((i) => hit.has(i.id));
  }
  const ticketIds = [...new Set(chosen.map((i) => i.ticket_id))];
  const visible = await visibleAmong(db, principal, ticketIds);
  return ticketIds.filter((id) => visible.has(id));
}
