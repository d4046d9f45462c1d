import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { rng } from "./demo-rng";

/** Follow-up visits (回访) for VIP customers' solved tickets: the recent ones still to do, older ones done. */
export async function seedVisits(db: Transaction<DB>, r: ReturnType<typeof rng>, now: Date) {
  const solved = await db
    .selectFrom("tickets")
    .innerJoin("customers", "customers.id", "tickets.customer_id")
    .select(["tickets.id", "tickets.department_id", "tickets.assignee_id", "tickets.solved_at"])
    .where("customers.tier", "=", "vip")
    .where("tickets.solved_at", "is not", null)
    .orderBy("tickets.solved_at", "desc")
    .limit(40)
    .execute();
  // The six latest are still to do: most due in the coming days, two already late.
  const toDoInHours = [5, 26, -20, 50, 9, -45];
  const rows = solved.map((t, i) => {
    const open = i < toDoInHours.length;
    const due = open
      ? new Date(now.getTime() + (toDoInHours[i] as number) * 3_600_000)
      : new Date((t.solved_at as Date).getTime() + 2 * 86_400_000);
    const done = !open && due < now;
    return {
      ticket_id: t.id,
      department_id: t.department_id,
      assignee_id: t.assignee_id,
      reason: "VIP 客户解决后回访",
      due_at: due,
      status: done ? ("done" as const) : ("open" as const),
      result: done
        ? r.weighted(
            ["satisfied", "resolved_now", "unresolved", "unreachable"] as const,
            (x) => ({ satisfied: 70, resolved_now: 10, unresolved: 8, unreachable: 12 })[x],
          )
        : null,
      outcome: done ? r.pick(["客户表示问题已彻底解决", "客户提了改进建议，已记录", "电话未接通，已发短信"]) : null,
      source: JSON.stringify({ kind: "trigger", id: null, name: "VIP 解决后回访" }),
      created_at: t.solved_at as Date,
      completed_at: done ? due : null,
      completed_by: done ? t.assignee_id : null,
    };
  });
  if (rows.length) await db.insertInto("follow_up_visits").values(rows).execute();
}
