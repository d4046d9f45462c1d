import { emptyValue } from "@loopdesk/contracts/custom-fields";
import type { ProcessTask } from "@loopdesk/contracts/processes";
import { Card, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { fieldText } from "../../app/field-text";
import { useTicketProcesses } from "./process-api";
import { useHolderNames } from "./task-labels";

const FINISHED = new Set(["done", "approved", "rejected"]);

/**
 * What the steps before this one recorded — who finished each, when, its answers and remarks — so the
 * next department works from them (仓库 sees what 售后审核 agreed) without opening the ticket.
 */
export function EarlierSteps({ task }: { task: ProcessTask }) {
  const { t, i18n } = useTranslation();
  const instances = useTicketProcesses(task.ticketId);
  const names = useHolderNames();
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const instance = instances.data?.find((i) => i.id === task.instanceId);
  const earlier = (instance?.tasks ?? [])
    .filter((x) => x.id !== task.id && FINISHED.has(x.status) && x.completedAt !== null)
    .sort((a, b) => (a.completedAt as string).localeCompare(b.completedAt as string));
  if (earlier.length === 0) return null;
  return (
    <Card size="small" title={t("process.earlier")} style={{ marginBottom: 16 }} data-testid="earlier-steps">
      <Space direction="vertical" size={10} style={{ width: "100%" }}>
        {earlier.map((x) => {
          const answers = x.form.filter((f) => !emptyValue(x.values[f.key]));
          const who =
            x.kind === "customer"
              ? t("process.holder.customer")
              : x.completedBy !== null
                ? (names.staff.get(x.completedBy) ?? t("event.deleted.staff"))
                : null;
          return (
            <div key={x.id} data-testid="earlier-step">
              <Space size={4} wrap>
                <Typography.Text strong>{x.name}</Typography.Text>
                {x.status !== "done" && <Tag color={x.status === "approved" ? "success" : "error"}>{t(`process.${x.status}`)}</Tag>}
                <Typography.Text type="secondary">
                  {who && `${who} · `}
                  {fmt.format(new Date(x.completedAt as string))}
                </Typography.Text>
              </Space>
              {answers.map((f) => (
                <div key={f.key} style={{ fontSize: 13 }}>
                  <Typography.Text type="secondary">
                    {f.label}
                    {t("common.labelSep")}
                  </Typography.Text>
                  {fieldText(f, x.values[f.key], t)}
                </div>
              ))}
              {x.comment && (
                <div style={{ fontSize: 13 }}>
                  <Typography.Text type="secondary">
                    {t(x.kind === "approval" ? "process.opinion" : "process.comment")}
                    {t("common.labelSep")}
                  </Typography.Text>
                  {x.comment}
                </div>
              )}
            </div>
          );
        })}
      </Space>
    </Card>
  );
}
