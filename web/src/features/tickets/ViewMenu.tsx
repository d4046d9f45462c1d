import { Menu, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { type ViewKey, useViewCount, views } from "./ticket-views";

function ViewLabel({ viewKey, enabled }: { viewKey: ViewKey; enabled: boolean }) {
  const { t } = useTranslation();
  const count = useViewCount(viewKey, enabled);
  return (
    <span style={{ display: "flex", justifyContent: "space-between", gap: 8 }}>
      <span>{t(`views.${viewKey}`)}</span>
      {count.data && (
        <Typography.Text type="secondary" data-testid={`view-count-${viewKey}`}>
          {count.data.capped ? `${count.data.count}+` : count.data.count}
        </Typography.Text>
      )}
    </span>
  );
}

/** The queue views with live counts. */
export function ViewMenu({ value, onChange, isStaff }: { value: ViewKey; onChange: (v: ViewKey) => void; isStaff: boolean }) {
  return (
    <Menu
      mode="inline"
      selectedKeys={[value]}
      onClick={(e) => onChange(e.key as ViewKey)}
      items={views.filter((v) => isStaff || !v.staffOnly).map((v) => ({ key: v.key, label: <ViewLabel viewKey={v.key} enabled /> }))}
      style={{ borderInlineEnd: 0 }}
    />
  );
}
