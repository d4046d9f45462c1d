import type { CustomerProgress, ProcessGraph, ProcessInstance, StepField } from "@loopdesk/contracts/processes";
import type { Executor } from "../../platform/jobs/job-queue";
import { presentTasks } from "./process-tasks";

/** Node ids in the order a reader follows them: breadth first from the start. */
export function readingOrder(graph: ProcessGraph) {
  const start = graph.nodes.find((n) => n.type === "start");
  const order: string[] = [];
  const seen = new Set<string>();
  const queue = start ? [start.id] : [];
  while (queue.length) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    for (const e of graph.edges) if (e.source === id) queue.push(e.target);
  }
  for (const n of graph.nodes) if (!seen.has(n.id)) order.push(n.id);
  return order;
}

type StepState = ProcessInstance["steps"][number]["state"];

/** Where one step of a run stands, from the run's status, the step's tasks and its sub-process. */
function stepState(s: {
  runStatus: string;
  /** The run's state has a position at this step. */
  atStep: boolean;
  openTasks: boolean;
  nodeType?: string;
  lastTask?: string;
  childDone: boolean;
}): StepState {
  // A cancelled run keeps its last positions in its state; the step it stopped at says so.
  if (s.runStatus === "cancelled" && s.lastTask === "cancelled") return "cancelled";
  if ((s.runStatus === "running" && s.atStep) || s.openTasks) return "active";
  if (s.nodeType === "start") return "done";
  if (s.nodeType === "end") return s.runStatus === "completed" ? "done" : "waiting";
  if (s.lastTask === "rejected") return "rejected";
  return (s.lastTask !== undefined && s.lastTask !== "cancelled") || s.childDone ? "done" : "waiting";
}

async function loadInstances(db: Executor, ticketId: number) {
  return db
    .selectFrom("process_instances as i")
    .innerJoin("process_versions as v", "v.id", "i.version_id")
    .innerJoin("process_definitions as d", "d.id", "i.definition_id")
    .selectAll("i")
    .select(["v.graph", "v.version", "d.name", "d.key"])
    .where("i.ticket_id", "=", ticketId)
    .orderBy("i.id")
    .execute();
}

/** The processes run on a ticket, each as its map: where it stands, who holds each step and since when. */
export async function ticketProcesses(db: Executor, ticketId: number): Promise<ProcessInstance[]> {
  const rows = await loadInstances(db, ticketId);
  if (rows.length === 0) return [];
  const taskRows = await db.selectFrom("process_tasks").selectAll().where("ticket_id", "=", ticketId).orderBy("id").execute();
  const tasks = await presentTasks(db, taskRows);
  return rows.map((r) => {
    const graph = r.graph as ProcessGraph;
    const mine = tasks.filter((t) => t.instanceId === r.id);
    const children = rows.filter((c) => c.parent_instance_id === r.id);
    const steps = readingOrder(graph).map((id) => {
      const node = graph.nodes.find((n) => n.id === id);
      const nodeTasks = mine.filter((t) => t.nodeId === id);
      const active = nodeTasks.filter((t) => t.status === "active");
      const last = nodeTasks.at(-1);
      const child = children.filter((c) => c.parent_node_id === id).at(-1);
      const state = stepState({
        runStatus: r.status,
        atStep: r.state.active.includes(id),
        openTasks: active.length > 0,
        nodeType: node?.type,
        lastTask: last?.status,
        childDone: child?.status === "completed",
      });
      return {
        nodeId: id,
        name: node?.name || id,
        type: node?.type ?? "task",
        stage: node && "stage" in node ? node.stage : "",
        state,
        holders: active.map((t) => ({ taskId: t.id, assigneeId: t.assigneeId, departmentId: t.departmentId })),
        since: active[0]?.startedAt ?? null,
        finishedAt: state === "done" || state === "rejected" ? (last?.completedAt ?? null) : null,
      };
    });
    return {
      id: r.id,
      ticketId: r.ticket_id,
      definitionId: r.definition_id,
      processKey: r.key,
      processName: r.name,
      version: r.version,
      status: r.status,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      graph,
      steps,
      tasks: mine,
      values: r.step_values,
      parentInstanceId: r.parent_instance_id,
    };
  });
}

/**
 * What the customer sees: the stages of the ticket's latest top-level process in order, which are
 * done and which is current, and a step waiting on them with its form. Staff names stay out.
 */
export async function customerProgress(db: Executor, ticketId: number): Promise<CustomerProgress | null> {
  const all = await ticketProcesses(db, ticketId);
  const top = all.filter((i) => i.parentInstanceId === null && i.status !== "cancelled");
  const instance = top.find((i) => i.status === "running") ?? top.at(-1);
  if (!instance) return null;
  const stages: CustomerProgress["stages"] = [];
  for (const s of instance.steps) {
    if (!s.stage) continue;
    const existing = stages.find((x) => x.name === s.stage);
    const state = s.state === "active" ? "current" : s.state === "done" ? "done" : "upcoming";
    if (!existing) stages.push({ name: s.stage, state });
    else if (state === "current" || (state === "upcoming" && existing.state === "done")) existing.state = state;
  }
  if (instance.status === "completed") for (const s of stages) s.state = "done";
  const asking = instance.tasks.find((t) => t.kind === "customer" && t.status === "active");
  return {
    processName: instance.processName,
    status: instance.status,
    stages,
    request: asking ? { taskId: asking.id, name: asking.name, form: asking.form as StepField[] } : null,
  };
}
