import type { CustomFieldDefinition } from "@loopdesk/contracts/custom-fields";
import { tiers } from "@loopdesk/contracts/customers";
import { slaTargets } from "@loopdesk/contracts/sla";
import { channels, priorities, ticketStatuses } from "@loopdesk/contracts/tickets";
import type { Webhook } from "@loopdesk/contracts/webhooks";
import type { TFunction } from "i18next";
import { useSession } from "../../auth/session";
import { useList } from "../admin-api";

type Named = { id: number; name: string };
export type Option = { value: string | number; label: string };

/** Everything a rule can point at, loaded once for the editors (webhooks only for admins, who may list them). */
export function useRuleOptions() {
  const { user } = useSession();
  const isAdmin = user?.kind === "staff" && user.role === "admin";
  const categories = useList<Named>("/categories");
  const departments = useList<Named>("/departments");
  const staff = useList<Named & { active: boolean }>("/staff");
  const fields = useList<CustomFieldDefinition>("/custom-fields");
  const webhooks = useList<Webhook>("/webhooks", isAdmin);
  return {
    categories: (categories.data ?? []).map((c) => ({ value: c.id, label: c.name })),
    departments: (departments.data ?? []).map((d) => ({ value: d.id, label: d.name })),
    staff: (staff.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.name })),
    ticketFields: (fields.data ?? []).filter((f) => f.entity === "ticket" && f.active),
    webhooks: (webhooks.data ?? []).map((w) => ({ value: w.id, label: w.name })),
  };
}
export type RuleOptions = ReturnType<typeof useRuleOptions>;

/** The choices for a condition field's value, or null when it takes free text or a number. */
export function valueChoices(field: string, t: TFunction, o: RuleOptions): Option[] | null {
  const enumOf = (values: readonly string[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));
  switch (field) {
    case "status":
      return enumOf(ticketStatuses, "status");
    case "priority":
      return enumOf(priorities, "priority");
    case "channel":
      return enumOf(channels, "channel");
    case "customerTier":
      return enumOf(tiers, "tier");
    case "categoryId":
      return o.categories;
    case "departmentId":
      return o.departments;
    case "assigneeId":
      return o.staff;
    case "message.authorType":
      return enumOf(["customer", "staff", "system"], "admin.rules.authorTypes");
    case "message.visibility":
      return enumOf(["public", "internal"], "admin.rules.visibilities");
    case "sla.target":
      return enumOf(slaTargets, "field");
  }
  if (field.startsWith("customFields.")) {
    const def = o.ticketFields.find((f) => `customFields.${f.key}` === field);
    if (def?.options?.length) return def.options.map((x) => ({ value: x.value, label: x.label }));
  }
  return null;
}

export const numericFields = new Set(["urgeCount", "reopenCount", "hoursSinceCreated", "hoursSinceUpdated"]);
export const noValueOps = new Set(["is_empty", "is_not_empty", "changed"]);
export const listOps = new Set(["in", "not_in"]);
export const TEMPLATE_PLACEHOLDERS = [
  "{{ticket.number}}",
  "{{ticket.subject}}",
  "{{ticket.status}}",
  "{{ticket.priority}}",
  "{{ticket.url}}",
  "{{customer.name}}",
];
