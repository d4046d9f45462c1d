import type { TFunction, i18n as I18n } from "i18next";

/** 审计日志 actions in the reader's language: "SLA 策略 · 修改" for sla-policies.update; an unknown action as its code. */
export function auditActionLabel(t: TFunction, i18n: I18n, action: string): string {
  const special = `audit.actions.${action.replace(/\./g, "_")}`;
  if (i18n.exists(special)) return t(special);
  const m = /^(.*)\.(create|update|delete)$/.exec(action);
  const resource = `audit.resources.${(m?.[1] ?? action).replace(/\./g, "_")}`;
  if (!i18n.exists(resource)) return action;
  return m ? `${t(resource)} · ${t(`audit.verbs.${m[2]}`)}` : t(resource);
}

/** The actions an admin can filter by: every special action and every resource (its prefix). */
export function auditActionOptions(t: TFunction, i18n: I18n) {
  const keys = (group: string) => Object.keys((i18n.getResource(i18n.language, "translation", `audit.${group}`) ?? {}) as object);
  return [
    ...keys("actions").map((k) => ({ value: k.replace(/_/g, "."), label: t(`audit.actions.${k}`) })),
    ...keys("resources").map((k) => ({ value: k.replace(/_/g, "."), label: t(`audit.resources.${k}`) })),
  ];
}

/** The fields whose value differs between before and after (all of after's for a creation). */
export function changedFields(before: unknown, after: unknown): { field: string; before: unknown; after: unknown }[] {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => f !== "updated_at");
  return fields.filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f])).map((f) => ({ field: f, before: b[f], after: a[f] }));
}
