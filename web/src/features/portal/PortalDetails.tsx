import type { CustomFieldDefinition } from "@loopdesk/contracts/custom-fields";
import { Descriptions } from "antd";
import { useTranslation } from "react-i18next";
import { fieldText } from "../../app/field-text";
import { templateFields } from "../tickets/ticket-fields";

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
