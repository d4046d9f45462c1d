import { Badge } from "antd";
import { useTranslation } from "react-i18next";
import { useTaskCount } from "./process-api";

/** 待办 in the header, with how many steps wait for me. */
export function TasksLink() {
  const { t } = useTranslation();
  const count = useTaskCount();
  return (
    <span data-testid="tasks-count">
      {t("process.tasksNav")}
      {(count.data?.mine ?? 0) > 0 && <Badge count={count.data?.mine} size="small" offset={[4, -2]} color="#1f6feb" />}
    </span>
  );
}
