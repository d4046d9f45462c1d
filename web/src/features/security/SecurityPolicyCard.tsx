import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

type Role = "admin" | "supervisor" | "agent";

/** Which roles must sign in with a second factor (admins only). */
export function SecurityPolicyCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ["security-settings"], queryFn: () => api<{ twoFactorRoles: Role[] }>("/security/settings") });
  const [roles, setRoles] = useState<Role[]>([]);
  useEffect(() => {
    if (settings.data) setRoles(settings.data.twoFactorRoles);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => api("/security/settings", { method: "PUT", body: { twoFactorRoles: roles } }),
    onSuccess: () => void message.success(t("common.saved")),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["security-settings"] }),
  });
  return (
    <Card size="small" title={t("twoFactor.policyTitle")} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("twoFactor.policyHelp")}</Typography.Paragraph>
      <Space direction="vertical">
        <Checkbox.Group
          value={roles}
          onChange={(v) => setRoles(v as Role[])}
          options={(["admin", "supervisor", "agent"] as const).map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <Button type="primary" onClick={() => save.mutate()} loading={save.isPending}>
          {t("common.save")}
        </Button>
      </Space>
    </Card>
  );
}
