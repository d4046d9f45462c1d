import type {
  createProcessBody,
  dryRunBody,
  ProcessDefinition,
  ProcessGraph,
  updateProcessBody,
  ValidationProblem,
} from "@loopdesk/contracts/processes";
import type { Selectable } from "kysely";
import { sql } from "kysely";
import type { z } from "zod";
import type { ProcessDefinitionsTable } from "../../db/schema-processes";
import { AppError, ConflictError, NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { evaluateCondition, type RuleFacts } from "../automations/rule-conditions";
import { activeDefinitions } from "../custom-fields/custom-field-service";
import { listCategories } from "../directory/category-service";
import { listDepartments } from "../directory/department-service";
import { listTeams } from "../directory/team-service";
import { listCalendars } from "../sla/calendar-service";
import { listStaff } from "../staff/staff-service";
import { finishStep, GraphIndex, ProcessFlowError, startFlow } from "./process-engine";
import { type ProcessRefs, validateProcess } from "./validate-process";

type Row = Selectable<ProcessDefinitionsTable>;

/** Everything a definition may refer to, as it exists now. */
export async function processRefs(db: Executor): Promise<ProcessRefs> {
  const [departments, teams, staff, calendars, fields, processes, categories] = await Promise.all([
    listDepartments(db),
    listTeams(db),
    listStaff(db),
    listCalendars(db),
    activeDefinitions(db, "ticket"),
    db.selectFrom("process_definitions").select("key").where("current_version", "is not", null).execute(),
    listCategories(db),
  ]);
  return {
    departments: new Set(departments.map((r) => r.id)),
    teams: new Set(teams.map((r) => r.id)),
    staff: new Set(staff.filter((r) => r.active).map((r) => r.id)),
    calendars: new Set(calendars.map((r) => r.id)),
    ticketFields: new Set(fields.map((r) => r.key)),
    processKeys: new Set(processes.map((r) => r.key)),
    categories: new Set(categories.map((r) => r.id)),
  };
}

export const ProcessInvalidError = (problems: ValidationProblem[]) =>
  new AppError(400, "validation_failed", "The process has problems; each names its node.", { problems });

async function present(db: Executor, rows: Row[]): Promise<ProcessDefinition[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [versions, running] = await Promise.all([
    db
      .selectFrom("process_versions")
      .select(["definition_id", "version", "published_at", "published_by", "graph", "start_rule", "progress"])
      .where("definition_id", "in", ids)
      .orderBy("version")
      .execute(),
    db
      .selectFrom("process_instances")
      .select(["definition_id", sql<number>`count(*)::int`.as("n")])
      .where("definition_id", "in", ids)
      .where("status", "=", "running")
      .groupBy("definition_id")
      .execute(),
  ]);
  return rows.map((r) => {
    const mine = versions.filter((v) => v.definition_id === r.id);
    const current = mine.find((v) => v.version === r.current_version);
    const changed =
      !current ||
      JSON.stringify(current.graph) !== JSON.stringify(r.graph) ||
      JSON.stringify(current.start_rule) !== JSON.stringify(r.start_rule) ||
      JSON.stringify(current.progress) !== JSON.stringify(r.progress);
    return {
      id: r.id,
      key: r.key,
      name: r.name,
      description: r.description,
      active: r.active,
      graph: r.graph,
      startRule: r.start_rule as ProcessDefinition["startRule"],
      progress: r.progress,
      currentVersion: r.current_version,
      versions: mine.map((v) => ({ version: v.version, publishedAt: v.published_at.toISOString(), publishedBy: v.published_by })),
      runningInstances: running.find((x) => x.definition_id === r.id)?.n ?? 0,
      changed,
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

export async function listProcesses(db: Executor) {
  return present(db, await db.selectFrom("process_definitions").selectAll().orderBy("name").execute());
}

export async function getProcess(db: Executor, id: number) {
  const row = await db.selectFrom("process_definitions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Process");
  return (await present(db, [row]))[0] as ProcessDefinition;
}

export async function createProcess(db: Executor, input: z.output<typeof createProcessBody>) {
  const taken = await db.selectFrom("process_definitions").select("id").where("key", "=", input.key).executeTakeFirst();
  if (taken) throw ConflictError("A process with this key exists.", { key: input.key });
  const row = await db
    .insertInto("process_definitions")
    .values({
      key: input.key,
      name: input.name,
      description: input.description,
      graph: JSON.stringify(input.graph),
      start_rule: JSON.stringify(input.startRule),
      progress: JSON.stringify(input.progress),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return (await present(db, [row]))[0] as ProcessDefinition;
}

/** Saves the draft; what runs changes only when it is published. */
export async function updateProcess(db: Executor, id: number, input: z.output<typeof updateProcessBody>) {
  const row = await db
    .updateTable("process_definitions")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.graph !== undefined ? { graph: JSON.stringify(input.graph) } : {}),
      ...(input.startRule !== undefined ? { start_rule: JSON.stringify(input.startRule) } : {}),
      ...(input.progress !== undefined ? { progress: JSON.stringify(input.progress) } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw NotFoundError("Process");
  return (await present(db, [row]))[0] as ProcessDefinition;
}

export async function checkProcess(db: Executor, graph: ProcessGraph, key?: string) {
  return validateProcess(graph, await processRefs(db), key);
}

/**
 * Publishes the draft as the next version (refused with its problems when it does not validate).
 * New instances run on it; running ones finish on the version they started on.
 */
export async function publishProcess(db: Executor, id: number, staffId: number | null) {
  const row = await db.selectFrom("process_definitions").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  if (!row) throw NotFoundError("Process");
  const problems = await checkProcess(db, row.graph, row.key);
  if (problems.length) throw ProcessInvalidError(problems);
  const version = (row.current_version ?? 0) + 1;
  await db
    .insertInto("process_versions")
    .values({
      definition_id: id,
      version,
      graph: JSON.stringify(row.graph),
      start_rule: JSON.stringify(row.start_rule),
      progress: JSON.stringify(row.progress),
      published_by: staffId,
    })
    .execute();
  await db.updateTable("process_definitions").set({ current_version: version, updated_at: new Date() }).where("id", "=", id).execute();
  return getProcess(db, id);
}

/** The version a new instance of this process runs on (the current one of an active definition). */
export async function runnableVersion(db: Executor, key: string) {
  return db
    .selectFrom("process_definitions as d")
    .innerJoin("process_versions as v", (j) => j.onRef("v.definition_id", "=", "d.id").onRef("v.version", "=", "d.current_version"))
    .select(["d.id as definitionId", "d.key", "d.name", "v.id as versionId", "v.version", "v.graph", "v.progress"])
    .where("d.key", "=", key)
    .where("d.active", "=", true)
    .executeTakeFirst();
}

/** Published versions whose start rule is on, for new tickets. */
export async function autoStartVersions(db: Executor) {
  return db
    .selectFrom("process_definitions as d")
    .innerJoin("process_versions as v", (j) => j.onRef("v.definition_id", "=", "d.id").onRef("v.version", "=", "d.current_version"))
    .select(["d.key", "v.start_rule"])
    .where("d.active", "=", true)
    .execute();
}

/**
 * Walks the draft with sample data: at each waiting step the first active one finishes (approvals
 * as `decisions` say, approve by default), gateways choose by the facts. Says where it ended.
 */
export async function dryRunProcess(db: Executor, id: number, input: z.output<typeof dryRunBody>) {
  const row = await db.selectFrom("process_definitions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Process");
  const problems = await checkProcess(db, row.graph, row.key);
  const steps: { nodeId: string; name: string; type: string; note: string | null }[] = [];
  if (problems.some((p) => ["no_start", "many_starts", "dangling_edge", "duplicate_node", "gateway_without_default"].includes(p.code)))
    return { steps, outcome: "stuck" as const, problems };
  const g = new GraphIndex(row.graph);
  const sample = input.facts;
  const ticket = Object.fromEntries(Object.entries(sample).filter(([k]) => !k.startsWith("step.") && !k.startsWith("customFields.")));
  const customFields = Object.fromEntries(
    Object.entries(sample)
      .filter(([k]) => k.startsWith("customFields."))
      .map(([k, v]) => [k.slice("customFields.".length), v]),
  );
  const stepValues: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(sample)) {
    const m = /^step\.([^.]+)\.(.+)$/.exec(k);
    if (m) stepValues[m[1] as string] = { ...(stepValues[m[1] as string] ?? {}), [m[2] as string]: v };
  }
  const facts = { ticket: { tags: [], customFields, ...ticket }, changes: {}, steps: stepValues, now: new Date() } as unknown as RuleFacts;
  const evaluate = (conds: { field: string; op: string; value?: unknown }[]) =>
    conds.every((c) => evaluateCondition(c as Parameters<typeof evaluateCondition>[0], facts).passed);
  const note = (trail: { nodeId: string; note: string | null }[]) => {
    for (const t of trail) {
      const n = g.nodes.get(t.nodeId);
      steps.push({ nodeId: t.nodeId, name: n?.name || t.nodeId, type: n?.type ?? "", note: t.note });
    }
  };
  try {
    let flow = startFlow(g, evaluate);
    note([{ nodeId: g.start().id, note: null }, ...flow.trail]);
    for (let i = 0; i < 200 && !flow.state.ended && flow.state.active.length; i++) {
      const at = flow.state.active[0] as string;
      const rejected = input.decisions[at] === "reject";
      flow = finishStep(g, flow.state, at, rejected ? "rejected" : "done", evaluate);
      if (rejected) delete input.decisions[at]; // decided once; the second pass approves
      note(flow.trail);
    }
    return { steps, outcome: flow.state.ended ?? ("stuck" as const), problems };
  } catch (e) {
    if (e instanceof ProcessFlowError) return { steps, outcome: "stuck" as const, problems };
    throw e;
  }
}
