import { type NotificationType, notificationTypes } from "@loopdesk/contracts/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Card, Switch, Table } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

type Prefs = Record<NotificationType, { inApp: boolean; email: boolean }>;

/** Each staff member chooses, per kind of notification, the bell and/or email. */
export function NotificationPrefsAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const prefs = useQuery({
    queryKey: ["notification-prefs"],
    queryFn: async () => (await api<{ prefs: Prefs }>("/notifications/preferences")).prefs,
  });
  const save = useMutation({
    mutationFn: (change: Partial<Prefs>) => api<{ prefs: Prefs }>("/notifications/preferences", { method: "PUT", body: { prefs: change } }),
    onSuccess: (r) => {
      qc.setQueryData(["notification-prefs"], r.prefs);
      void message.success(t("common.saved"));
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const toggle = (type: NotificationType, channel: "inApp" | "email", on: boolean) => {
    const current = prefs.data?.[type] ?? { inApp: true, email: false };
    save.mutate({ [type]: { ...current, [channel]: on } });
  };
  return (
    <Card title={t("notifications.preferences")}>
      <Alert type="info" title={t("notifications.prefsHelp")} style={{ marginBottom: 12 }} />
      <Table
        rowKey="type"
        size="small"
        pagination={false}
        loading={prefs.isLoading}
        dataSource={notificationTypes.map((type) => ({ type, ...(prefs.data?.[type] ?? { inApp: true, email: false }) }))}
        columns={[
          { title: t("notifications.type"), dataIndex: "type", render: (type: NotificationType) => t(`notifications.types.${type}`) },
          ...(["inApp", "email"] as const).map((channel) => ({
            title: t(`notifications.${channel}`),
            dataIndex: channel,
            render: (on: boolean, row: { type: NotificationType }) => (
              <Switch
                size="small"
                checked={on}
                aria-label={`${t(`notifications.types.${row.type}`)} ${t(`notifications.${channel}`)}`}
                onChange={(v) => toggle(row.type, channel, v)}
              />
            ),
          })),
        ]}
      />
    </Card>
  );
}
