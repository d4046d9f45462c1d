import { startRegistration } from "@simplewebauthn/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Input, List, Popconfirm, Space, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import { errorText } from "../../app/error-text";

type Passkey = { id: number; name: string; createdAt: string; lastUsedAt: string | null };

/** 通行密钥: security keys, phones or this computer's own authenticator as the second factor. */
export function PasskeysCard({ onAdded }: { onAdded?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const keys = useQuery({ queryKey: ["passkeys"], queryFn: async () => (await api<{ items: Passkey[] }>("/me/passkeys")).items });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ["passkeys"] });
    void qc.invalidateQueries({ queryKey: ["two-factor"] });
  };
  const add = useMutation({
    mutationFn: async () => {
      const { options, state } = await api<{ options: never; state: string }>("/me/passkeys/options", { method: "POST" });
      const response = await startRegistration({ optionsJSON: options });
      return api("/me/passkeys", { method: "POST", body: { state, response, name: name.trim() || t("passkeys.defaultName") } });
    },
    onSuccess: () => {
      void message.success(t("passkeys.added"));
      setName("");
      refresh();
      onAdded?.();
    },
    onError: (e) => void message.error(e instanceof ApiError ? errorText(t, e) : t("twoFactor.passkeyFailed")),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/me/passkeys/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
    onError: (e) => void message.error(errorText(t, e)),
  });
  return (
    <Card size="small" title={t("passkeys.title")} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("passkeys.help")}</Typography.Paragraph>
      <List
        size="small"
        dataSource={keys.data ?? []}
        locale={{ emptyText: t("passkeys.empty") }}
        renderItem={(k) => (
          <List.Item
            actions={[
              <Popconfirm
                key="remove"
                title={t("passkeys.removeConfirm")}
                okText={t("common.delete")}
                cancelText={t("common.cancel")}
                onConfirm={() => remove.mutate(k.id)}
              >
                <Button type="link" danger size="small">
                  {t("common.delete")}
                </Button>
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              title={k.name}
              description={t("passkeys.meta", {
                added: dayjs(k.createdAt).format("YYYY-MM-DD"),
                used: k.lastUsedAt ? dayjs(k.lastUsedAt).format("YYYY-MM-DD HH:mm") : t("passkeys.neverUsed"),
              })}
            />
          </List.Item>
        )}
      />
      <Space style={{ marginTop: 12 }} wrap>
        <Input
          style={{ width: 220 }}
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={t("passkeys.namePlaceholder")}
          aria-label={t("passkeys.name")}
        />
        <Button type="primary" loading={add.isPending} onClick={() => add.mutate()} data-testid="add-passkey">
          {t("passkeys.add")}
        </Button>
      </Space>
    </Card>
  );
}
