import type { ProcessGraph, StepField } from "@loopdesk/contracts/processes";
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { completeTask } from "../processes/complete-task";
import { publishProcess, updateProcess } from "../processes/process-definitions";
import { cancelInstance, startProcess } from "../processes/process-runtime";
import { installProcessTemplate } from "../processes/process-templates";
import { type Actor, systemActor } from "../tickets/ticket-events";
import { openWhenOwnerWorks } from "../tickets/ticket-taken-up";
import { backdate, familyTasks } from "./demo-process-backdate";
import type { Rng } from "./demo-rng";
const HOUR = 3_600_000;

/** Which processes the demo runs on which category's tickets. */
const BY_CATEGORY: Record<string, string[]> = {
  退换货: ["cross_border_return", "cross_border_return", "parallel_refund"],
  发票: ["invoice_reissue"],
  设备报修: ["device_repair"],
  投诉建议: ["complaint_escalation"],
};

/** The categories the demo's processes run on. */
export const PROCESS_CATEGORIES = Object.keys(BY_CATEGORY);

const SAMPLE_TEXT: Record<string, string[]> = {
  damage_note: ["外箱压坏，商品完好", "杯子碎裂两只"],
  refund_ref: ["RF2026110300128", "RF2026111800342", "RF2026112500057"],
  invoice_title: ["上海云启科技有限公司", "杭州青禾贸易有限公司"],
  tax_id: ["91310115MA1K4XXXX2", "91330106MA2B7YYYY8"],
  old_invoice_no: ["04412288", "05520931"],
  invoice_no: ["07731024", "07731388"],
  device_model: ["LD-200 智能柜", "LD-350 扫码终端"],
  fault: ["开机无反应", "屏幕闪烁", "扫码识别慢"],
  work_done: ["更换电源板", "重新固定排线并升级固件", "更换扫码头"],
  summary: ["配送延误三天，客户要求补偿", "客服态度问题，客户不满"],
  plan: ["致歉并补偿 50 元优惠券", "电话致歉，安排专人跟进"],
  remark: ["已恢复正常", "师傅很专业"],
};

/** A plausible answer for a form field. */
function answer(r: Rng, f: StepField): unknown {
  switch (f.type) {
    case "number":
      return f.key === "refund_amount" ? r.pick([129, 268, 399, 1280, 3600, 6800, 8999]) : Math.round(r.between(20, 200));
    case "checkbox":
      return true;
    case "date":
      return "2026-12-08";
    case "select":
      return f.options[0]?.value;
    case "multi_select":
      return f.options.slice(0, 1).map((o) => o.value);
    default:
      return r.pick(SAMPLE_TEXT[f.key] ?? ["已处理"]);
  }
}

type Doers = { byDepartment: Map<number, number[]>; supervisors: Map<number, number[]>; admins: number[] };

async function loadDoers(db: Transaction<DB>): Promise<Doers> {
  const rows = await db
    .selectFrom("staff_departments as sd")
    .innerJoin("staff as s", "s.id", "sd.staff_id")
    .select(["sd.department_id", "s.id", "s.role"])
    .where("s.active", "=", true)
    .execute();
  const byDepartment = new Map<number, number[]>();
  const supervisors = new Map<number, number[]>();
  for (const r of rows) {
    byDepartment.set(r.department_id, [...(byDepartment.get(r.department_id) ?? []), r.id]);
    if (r.role === "supervisor") supervisors.set(r.department_id, [...(supervisors.get(r.department_id) ?? []), r.id]);
  }
  const admins = (await db.selectFrom("staff").select("id").where("role", "=", "admin").execute()).map((a) => a.id);
  return { byDepartment, supervisors, admins };
}

/** Who would finish this task: its holder, else someone of its pool (its role there), else nobody (the system). */
function doerOf(r: Rng, d: Doers, task: { assignee_id: number | null; department_id: number | null; role: string | null }) {
  if (task.assignee_id !== null) return task.assignee_id;
  if (task.role === "admin") return d.admins[0] ?? null;
  const pool =
    task.department_id === null
      ? []
      : task.role === "supervisor"
        ? (d.supervisors.get(task.department_id) ?? [])
        : (d.byDepartment.get(task.department_id) ?? []);
  return pool.length ? r.pick(pool) : (d.admins[0] ?? null);
}

/**
 * The demo's processes: the five templates published (设备报修 starts by itself on new 设备报修
 * tickets), and instances on the demo's tickets in every state — finished ones on solved tickets
 * (some with a rejection sent back), running ones at each step on open tickets (some overdue, one
 * waiting for the customer's sign-off), and a cancelled one. They run through the real engine;
 * their times are then set back to when the ticket was worked, so the reports have a history.
 */
export async function seedDemoProcesses(ctx: AppContext, db: Transaction<DB>, r: Rng, now: Date) {
  const maxId = async (table: "ticket_events" | "jobs") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.max("id").as("id"))
          .executeTakeFirst()
      )?.id ?? 0,
    );
  const firstJob = await maxId("jobs");
  for (const key of ["cross_border_return", "parallel_refund", "invoice_reissue", "device_repair", "complaint_escalation"]) {
    const def = await installProcessTemplate(db, key);
    if (key === "device_repair") {
      const category = await db.selectFrom("categories").select("id").where("name", "=", "设备报修").executeTakeFirst();
      if (category)
        await updateProcess(db, def.id, { startRule: { enabled: true, when: [{ field: "categoryId", op: "is", value: category.id }] } });
    }
    await publishProcess(db, def.id, null);
  }
  const doers = await loadDoers(db);
  const since = new Date(now.getTime() - 30 * 24 * HOUR);
  for (const [category, keys] of Object.entries(BY_CATEGORY)) {
    const tickets = await db
      .selectFrom("tickets as t")
      .innerJoin("categories as c", "c.id", "t.category_id")
      .select(["t.id", "t.status", "t.created_at", "t.updated_at", "t.assignee_id"])
      .where("c.name", "=", category)
      .where("t.created_at", ">=", since)
      .where("t.merged_into_id", "is", null)
      // The newest requests by when they came (the demo's tails — an agent's desk, requests waiting for days — are numbered last).
      .orderBy("t.created_at", "desc")
      .limit(60)
      .execute();
    const open = tickets.filter((t) => !["solved", "closed"].includes(t.status)).slice(0, 4);
    // Finished processes on tickets that were worked for a while (a process inside ten minutes is no process).
    const done = tickets.filter((t) => t.status === "solved" && t.updated_at.getTime() - t.created_at.getTime() > 12 * HOUR).slice(0, 10);
    for (const [i, t] of [...done, ...open].entries()) {
      const key = keys[i % keys.length] as string;
      const finished = done.includes(t);
      const actor: Actor = t.assignee_id !== null ? { type: "staff", id: t.assignee_id } : systemActor;
      const firstEvent = await maxId("ticket_events");
      const instanceId = await startProcess(ctx, db, t.id, key, actor);
      // Its owner started it: a new ticket is taken up (处理中), as the product does.
      const takenUp = await openWhenOwnerWorks(ctx, db, t.id, actor);
      // Finished ones run to the end.
      // One return is withdrawn by the customer after its review.
      const cancelled = !finished && open.indexOf(t) === 3 && category === "退换货";
      // Open ones stop at different steps (the newest 设备报修 one waits for the customer's sign-off).
      const stops = category === "设备报修" ? [3, 1, 2, 4] : [1, 3, 2, 4];
      const stepsToRun = finished ? 50 : cancelled ? 1 : (stops[open.indexOf(t)] ?? 1);
      await runSteps(ctx, db, r, doers, instanceId, stepsToRun, finished && r.chance(0.25));
      if (cancelled) await cancelInstance(ctx, db, instanceId, actor, "客户撤回退货申请");
      const { start, last } = await backdate(db, r, instanceId, firstEvent, t.created_at, finished ? t.updated_at : now);
      if (takenUp) await db.updateTable("tickets").set({ status_changed_at: start }).where("id", "=", t.id).execute();
      // The ticket's last activity is what it was (finished) or the process's latest step.
      await db
        .updateTable("tickets")
        .set({ updated_at: finished ? t.updated_at : new Date(Math.max(t.updated_at.getTime(), last.getTime())) })
        .where("id", "=", t.id)
        .execute();
    }
  }
  await claimSomeOpenSteps(db, r, doers, now);
  // History, not news: what the engine queued while replaying the past (mail, webhooks, bells) is dropped.
  await db.deleteFrom("jobs").where("id", ">", firstJob).execute();
  await db.deleteFrom("notifications").execute();
}

/**
 * Someone of the pool took every other open step a while after it started (the rest still wait to
 * be taken), so the warehouse, finance and field agents find work under 待我处理, as a team would.
 */
async function claimSomeOpenSteps(db: Transaction<DB>, r: Rng, doers: Doers, now: Date) {
  const open = await db
    .selectFrom("process_tasks")
    .select(["id", "ticket_id", "name", "department_id", "started_at", "version"])
    .where("status", "=", "active")
    .where("kind", "=", "task")
    .where("assignee_id", "is", null)
    .where("role", "is", null)
    .where("department_id", "is not", null)
    .orderBy("id")
    .execute();
  for (const [i, t] of open.entries()) {
    const who = i % 2 === 0 ? doerOf(r, doers, { assignee_id: null, department_id: t.department_id, role: null }) : null;
    if (who === null) continue;
    const at = new Date(Math.min(now.getTime() - 60_000, t.started_at.getTime() + r.between(10, 90) * 60_000));
    await db
      .updateTable("process_tasks")
      .set({ assignee_id: who, claimed_at: at, version: t.version + 1 })
      .where("id", "=", t.id)
      .execute();
    await db
      .insertInto("ticket_events")
      .values({
        ticket_id: t.ticket_id,
        type: "process_step_reassigned",
        actor_type: "staff",
        actor_id: who,
        field: null,
        before: null,
        after: null,
        data: JSON.stringify({ name: t.name, taskId: t.id, assigneeId: who }),
        created_at: at,
      })
      .execute();
  }
}

/** Finishes up to `count` tasks of the instance in order; `reject` sends the first approval back once. */
async function runSteps(ctx: AppContext, db: Transaction<DB>, r: Rng, doers: Doers, instanceId: number, count: number, reject: boolean) {
  let rejected = !reject;
  for (let n = 0; n < count; n++) {
    const task = await familyTasks(db, instanceId).where("status", "=", "active").orderBy("id").limit(1).executeTakeFirst();
    if (!task) return;
    const version = await db
      .selectFrom("process_instances as i")
      .innerJoin("process_versions as v", "v.id", "i.version_id")
      .select("v.graph")
      .where("i.id", "=", task.instance_id)
      .executeTakeFirstOrThrow();
    const node = (version.graph as ProcessGraph).nodes.find((x) => x.id === task.node_id);
    const form = node && (node.type === "task" || node.type === "approval") ? node.form : [];
    const values = Object.fromEntries(form.map((f) => [f.key, answer(r, f)]).filter(([, v]) => v !== undefined));
    const decision = task.kind === "approval" ? (!rejected ? "reject" : "approve") : undefined;
    if (decision === "reject") rejected = true;
    const staffId = task.kind === "customer" ? null : doerOf(r, doers, task);
    const customer =
      task.kind === "customer"
        ? await db.selectFrom("tickets").select("customer_id").where("id", "=", task.ticket_id).executeTakeFirstOrThrow()
        : null;
    const actor: Actor = customer
      ? { type: "customer", id: customer.customer_id }
      : staffId !== null
        ? { type: "staff", id: staffId }
        : systemActor;
    await completeTask(
      ctx,
      db,
      { task, actor, staffId },
      { values, decision, comment: decision === "reject" ? "金额与订单不符，请核对后重新提交" : undefined },
    );
  }
}
