import { Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";

const HOUR = 3_600_000;

/** Time left on (or past) a due time, coloured by urgency: red past due, orange within the hour. */
export function SlaDue({ dueAt, now = Date.now() }: { dueAt: string | null; now?: number }) {
  const { t, i18n } = useTranslation();
  if (!dueAt) return <>—</>;
  const ms = new Date(dueAt).getTime() - now;
  const abs = Math.abs(ms);
  const span =
    abs < HOUR
      ? t("sla.minutes", { count: Math.max(1, Math.round(abs / 60_000)) })
      : abs < 48 * HOUR
        ? t("sla.hours", { count: Math.round(abs / HOUR) })
        : t("sla.days", { count: Math.round(abs / (24 * HOUR)) });
  const exact = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" }).format(new Date(dueAt));
  return (
    <Tooltip title={exact}>
      <Tag color={ms < 0 ? "red" : ms < HOUR ? "orange" : "default"} data-testid="sla-due">
        {ms < 0 ? t("sla.overdueBy", { span }) : t("sla.dueIn", { span })}
      </Tag>
    </Tooltip>
  );
}
