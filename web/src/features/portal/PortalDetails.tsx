import type { CustomFieldDefinition } from "@loopdesk/contracts/custom-fields";
import { Descriptions } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { templateFields } from "../tickets/ticket-fields";

/** A field's value in words: an option's label, a list of them, 是/否. */
export function fieldText(def: CustomFieldDefinition, value: unknown, t: TFunction) {
  const option = (v: unknown) => def.options.find((o) => o.value === String(v))?.label ?? String(v);
  if (def.type === "checkbox") return value ? t("common.yes") : t("common.no");
  if (def.type === "select") return option(value);
  if (Array.isArray(value)) return value.map(option).join(t("common.listSep"));
  return String(value);
}

/** 工单信息: the request's template details that hold a value (订单号, 型号…), in the form's order. */
export function PortalDetails({
  details,
  categoryId,
  fields,
}: {
  details: Record<string, unknown>;
  categoryId: number | null;
  fields: CustomFieldDefinition[] | undefined;
}) {
  const { t } = useTranslation();
  const shown = templateFields(fields, categoryId).filter((f) => f.key in details);
  if (shown.length === 0) return null;
  return (
    <Descriptions
      size="small"
      column={1}
      style={{ marginTop: 16 }}
      title={t("portal.details")}
      data-testid="portal-details"
      items={shown.map((f) => ({ key: f.key, label: f.label, children: fieldText(f, details[f.key], t) }))}
    />
  );
}
