import type { ProcessTask } from "@loopdesk/contracts/processes";
import { Tag } from "antd";
import type { TFunction } from "i18next";
import { useNamed, useStaff } from "../tickets/ticket-api";

export type HolderNames = { staff: Map<number, string>; departments: Map<number, string>; teams: Map<number, string> };

/** The names a task's holder reads in: people, departments and teams. */
export function useHolderNames(): HolderNames {
  const staff = useStaff(true);
  const departments = useNamed("/departments");
  const teams = useNamed("/teams");
  const byId = (list: { id: number; name: string }[] | undefined) => new Map((list ?? []).map((x) => [x.id, x.name]));
  return { staff: byId(staff.data), departments: byId(departments.data), teams: byId(teams.data) };
}

/** Who holds a task, in words: a person, or a pool (a role in a department, a team, a department). */
export function holderText(
  t: TFunction,
  task: Pick<ProcessTask, "assigneeId" | "departmentId" | "teamId" | "role" | "kind">,
  names: HolderNames,
) {
  if (task.kind === "customer") return t("process.holder.customer");
  if (task.assigneeId !== null) return names.staff.get(task.assigneeId) ?? t("event.deleted.staff");
  const department = task.departmentId !== null ? (names.departments.get(task.departmentId) ?? t("event.deleted.departments")) : null;
  if (task.role)
    return t("process.holder.role", { department: department ?? t("process.holder.anyDepartment"), role: t(`role.${task.role}`) });
  if (task.teamId !== null) return t("process.holder.pool", { pool: names.teams.get(task.teamId) ?? t("event.deleted.teams") });
  return t("process.holder.pool", { pool: department ?? t("process.pool") });
}

/** How long something has waited, in hours or days. */
export function waited(t: TFunction, since: string, now = Date.now()) {
  const hours = Math.max(0, (now - new Date(since).getTime()) / 3_600_000);
  return hours < 1
    ? t("process.since.minutes", { count: Math.max(1, Math.round(hours * 60)) })
    : hours < 48
      ? t("process.since.hours", { count: Math.round(hours) })
      : t("process.since.days", { count: Math.round(hours / 24) });
}

export function DueTag({ task, fmt, t }: { task: Pick<ProcessTask, "dueAt" | "overdue">; fmt: Intl.DateTimeFormat; t: TFunction }) {
  if (!task.dueAt) return <span>—</span>;
  return task.overdue ? (
    <Tag color="red">{t("process.overdue", { at: fmt.format(new Date(task.dueAt)) })}</Tag>
  ) : (
    <span>{fmt.format(new Date(task.dueAt))}</span>
  );
}
