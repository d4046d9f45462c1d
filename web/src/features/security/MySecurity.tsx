import type { StaffSession } from "@loopdesk/contracts/auth";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Popconfirm, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useSession } from "../auth/session";
import { PasskeysCard } from "./PasskeysCard";
import { SecurityPolicyCard } from "./SecurityPolicyCard";
import { TwoFactorCard } from "./TwoFactorCard";

/** 登录与安全: two-factor sign-in (and, for admins, which roles must use it), and where one is signed in. */
export function MySecurity() {
  const { user } = useSession();
  return (
    <>
      {user?.kind === "staff" && user.role === "admin" && <SecurityPolicyCard />}
      <TwoFactorCard />
      <PasskeysCard />
      <MySessions />
    </>
  );
}

/** Where one is signed in (device, address, last use), and ending any other session. */
function MySessions() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const sessions = useQuery({
    queryKey: ["my-sessions"],
    queryFn: async () => (await api<{ items: StaffSession[] }>("/me/sessions")).items,
  });
  const end = useMutation({
    mutationFn: (id: string) => api(`/me/sessions/${id}`, { method: "DELETE" }),
    onSuccess: () => void message.success(t("security.sessions.ended")),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["my-sessions"] }),
  });
  return (
    <Card size="small" title={t("security.sessions.title")}>
      <Typography.Paragraph type="secondary">{t("security.sessions.help")}</Typography.Paragraph>
      <Table<StaffSession>
        rowKey="id"
        size="small"
        data-testid="my-sessions"
        pagination={false}
        loading={sessions.isLoading}
        dataSource={sessions.data ?? []}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t("security.sessions.device"),
            render: (_, s) => (
              <>
                {s.device} {s.current && <Tag color="blue">{t("security.sessions.current")}</Tag>}
              </>
            ),
          },
          { title: t("security.sessions.ip"), width: 140, render: (_, s) => s.ip ?? "—" },
          { title: t("security.sessions.started"), width: 150, render: (_, s) => dayjs(s.createdAt).format("YYYY-MM-DD HH:mm") },
          { title: t("security.sessions.lastSeen"), width: 150, render: (_, s) => dayjs(s.lastSeenAt).format("YYYY-MM-DD HH:mm") },
          {
            title: t("common.actions"),
            width: 110,
            render: (_, s) =>
              s.current ? null : (
                <Popconfirm title={t("security.sessions.endConfirm")} onConfirm={() => end.mutate(s.id)}>
                  <Button size="small" danger>
                    {t("security.sessions.end")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}
