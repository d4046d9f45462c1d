import type { SavedView } from "@loopdesk/contracts/workspace";
import { Menu, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useTaskCount } from "../processes/process-api";
import { type ListFilters, type ViewKey, builtInViews, useViewCount } from "./ticket-views";

function ViewLabel({ label, filters, testId }: { label: string; filters: ListFilters; testId: string }) {
  const count = useViewCount(filters, true);
  return (
    <span style={{ display: "flex", justifyContent: "space-between", gap: 8 }}>
      <span style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{label}</span>
      {count.data && (
        <Typography.Text type="secondary" data-testid={`view-count-${testId}`}>
          {count.data.capped ? `${count.data.count}+` : count.data.count}
        </Typography.Text>
      )}
    </span>
  );
}

function TasksViewLabel() {
  const { t } = useTranslation();
  const count = useTaskCount();
  return (
    <span style={{ display: "flex", justifyContent: "space-between", gap: 8 }} data-testid="view-tasks">
      <span>{t("process.tasks")}</span>
      {count.data && (
        <Typography.Text type={count.data.mine ? undefined : "secondary"} strong={count.data.mine > 0} data-testid="view-count-tasks">
          {count.data.mine}
        </Typography.Text>
      )}
    </span>
  );
}

/** The built-in queue views and the saved ones (own, then shared), each with a live count. */
export function ViewMenu({
  value,
  onChange,
  isStaff,
  saved,
}: {
  value: ViewKey;
  onChange: (v: ViewKey) => void;
  isStaff: boolean;
  saved: SavedView[];
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const own = saved.filter((v) => v.editable && !v.shared);
  const shared = saved.filter((v) => v.shared || !v.editable);
  const savedItem = (v: SavedView) => ({
    key: `view:${v.id}`,
    label: <ViewLabel label={v.name} filters={v.filters} testId={`view-${v.id}`} />,
    title: v.shared ? t("views.sharedBy", { name: v.ownerName }) : v.name,
  });
  return (
    <Menu
      mode="inline"
      selectedKeys={[value]}
      onClick={(e) => (e.key === "tasks" ? navigate("/tasks") : onChange(e.key as ViewKey))}
      items={[
        // 我的待办: process steps waiting for me, beside the ticket views.
        ...(isStaff
          ? [
              { key: "tasks", label: <TasksViewLabel /> },
              { type: "divider" as const, key: "tasks-divider" },
            ]
          : []),
        ...builtInViews
          .filter((v) => isStaff || !v.staffOnly)
          .map((v) => ({ key: v.key, label: <ViewLabel label={t(`views.${v.key}`)} filters={v.filters} testId={v.key} /> })),
        ...(own.length ? [{ type: "group" as const, key: "own", label: t("views.myViews"), children: own.map(savedItem) }] : []),
        ...(shared.length
          ? [{ type: "group" as const, key: "shared", label: t("views.sharedViews"), children: shared.map(savedItem) }]
          : []),
      ]}
      style={{ borderInlineEnd: 0 }}
    />
  );
}
