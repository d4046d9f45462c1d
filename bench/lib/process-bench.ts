import { sql } from "kysely";
import type { Database } from "../../server/src/db/database";
import { load, round } from "./load";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;

/**
 * Issue 19: processes on PostgreSQL with 10,000 running instances of a three-step chain (each waiting
 * at its first step, a task in one department's pool). Measured over HTTP in alternating rounds, so
 * the noisy shared machine hits both alike: step completions (POST /tasks/:id/complete, which
 * finishes a task, starts the next with its history and live event) against ticket updates (PATCH
 * /tickets/:id priority) at concurrency 8; and the 我的待办 view (GET /tasks?scope=mine) of a
 * member of that department, sequentially.
 */
export async function benchProcesses(
  database: Database,
  admin: Api,
  member: Api,
  opts: {
    instances: number;
    rounds: number;
    perRound: number;
    /** Tickets to run the instances on, and open tickets to update. */
    ticketIds: number[];
    updateIds: number[];
    /** Called with the process's department, to add the member whose queue is read. */
    onDepartment: (departmentId: number) => Promise<void>;
  },
) {
  const db = database.db;
  const dep = (await admin("POST", "/api/v1/departments", { name: "流程基准部门" })) as { id: number };
  await opts.onDepartment(dep.id);
  const owner = { type: "department", departmentId: dep.id };
  const steps = ["a", "b", "c"];
  const def = (await admin("POST", "/api/v1/processes", {
    key: "bench_chain",
    name: "基准三步",
    graph: {
      nodes: [
        { id: "s", type: "start" },
        ...steps.map((id) => ({ id, type: "task", name: `步骤 ${id}`, owner })),
        { id: "e", type: "end" },
      ],
      edges: ["s", ...steps].map((from, i) => ({ id: `e${i}`, source: from, target: [...steps, "e"][i] })),
    },
  })) as { id: number };
  await admin("POST", `/api/v1/processes/${def.id}/publish`, {});
  const version = await db.selectFrom("process_versions").select("id").where("definition_id", "=", def.id).executeTakeFirstOrThrow();
  // 10,000 instances waiting at step a, written in SQL (what the engine would have written).
  const tickets = opts.ticketIds.slice(0, opts.instances);
  await sql`
    with i as (
      insert into process_instances (ticket_id, definition_id, version_id, state, started_by_type)
      select t, ${def.id}, ${version.id}, '{"active":["a"],"joins":{},"ended":null}'::jsonb, 'system'
      from unnest(${tickets}::int[]) t
      returning id, ticket_id
    )
    insert into process_tasks (instance_id, ticket_id, node_id, name, kind, department_id, step_values)
    select id, ticket_id, 'a', '步骤 a', 'task', ${dep.id}, '{}'::jsonb from i`.execute(db);
  await sql`update tickets set step_department_ids = array[${dep.id}]::int[] where id = any(${tickets}::int[])`.execute(db);
  await sql`analyze process_tasks`.execute(db);
  await sql`analyze process_instances`.execute(db);

  const open = (await db.selectFrom("process_tasks").select("id").where("status", "=", "active").orderBy("id").execute()).map((t) => t.id);
  let nextTask = 0;
  let nextTicket = 0;
  const priorities = ["low", "normal", "high", "urgent"];
  const complete = async () => {
    const id = open[nextTask++];
    if (id === undefined) throw new Error("ran out of open tasks");
    await admin("POST", `/api/v1/tasks/${id}/complete`, { values: {} });
  };
  // Each update changes the ticket's priority (one that kept it would write nothing).
  const changes = new Map<number, number>();
  const update = async () => {
    const id = opts.updateIds[nextTicket++ % opts.updateIds.length] as number;
    const n = (changes.get(id) ?? 0) + 1;
    changes.set(id, n);
    await admin("PATCH", `/api/v1/tickets/${id}`, { priority: priorities[(n + 1) % 4] });
  };
  // Warm up both paths, then let the background work of loading (search index, routing scores) finish.
  await load(300, 8, () => complete());
  await load(300, 8, () => update());
  await drainJobs(db);
  const rounds: { completions: Awaited<ReturnType<typeof load>>; updates: Awaited<ReturnType<typeof load>>; ratio: number }[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    // Alternate which goes first, so a slow spell of the machine does not always land on the same one.
    const first = r % 2 === 0;
    const a = first ? await load(opts.perRound, 8, () => complete()) : undefined;
    const updates = await load(opts.perRound, 8, () => update());
    const completions = a ?? (await load(opts.perRound, 8, () => complete()));
    rounds.push({ completions, updates, ratio: round(completions.perSecond / updates.perSecond) });
  }
  const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
  // The queue is read on a settled server (the updates' background work done).
  await drainJobs(db);
  await load(20, 1, async () => void (await member("GET", "/api/v1/tasks?scope=mine")));
  const queue = await load(300, 1, async () => void (await member("GET", "/api/v1/tasks?scope=mine")));
  const count = await load(300, 1, async () => void (await member("GET", "/api/v1/tasks/count")));
  const active = await db
    .selectFrom("process_tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return {
    instances: opts.instances,
    activeTasksAtEnd: Number(active.n),
    rounds,
    completionVsUpdate: { median: ratios[Math.floor(ratios.length / 2)], min: ratios[0], max: ratios[ratios.length - 1] },
    taskQueue: queue,
    taskCount: count,
  };
}

/** Waits until no job is due (at most a minute). */
async function drainJobs(db: Database["db"]) {
  for (let i = 0; i < 600; i++) {
    const due = await db
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", "queued")
      .where("run_at", "<=", new Date())
      .executeTakeFirstOrThrow();
    if (Number(due.n) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
