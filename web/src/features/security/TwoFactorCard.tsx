import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Modal, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { TwoFactorSetup } from "./TwoFactorSetup";

type Status = { totp: boolean; enabledAt: string | null; recoveryCodesLeft: number; required: boolean };

/** 两步验证 on one's security page: turn it on, see the recovery codes left, replace them, or turn it off (when the role allows). */
export function TwoFactorCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ["two-factor"], queryFn: () => api<Status>("/me/two-factor") });
  const [setting, setSetting] = useState(false);
  const [ask, setAsk] = useState<"off" | "codes" | null>(null);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const act = useMutation({
    mutationFn: (v: { code: string }) =>
      ask === "off"
        ? api("/me/two-factor", { method: "DELETE", body: { code: v.code } })
        : api<{ recoveryCodes: string[] }>("/me/two-factor/recovery-codes", { method: "POST", body: { code: v.code } }),
    onSuccess: (r) => {
      if (ask === "codes") setNewCodes((r as { recoveryCodes: string[] }).recoveryCodes);
      else void message.success(t("twoFactor.turnedOff"));
      setAsk(null);
    },
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["two-factor"] }),
  });
  const s = status.data;
  return (
    <Card size="small" title={t("twoFactor.title")} style={{ marginBottom: 16 }} loading={status.isLoading}>
      {s && !s.totp && (
        <>
          {s.required && <Typography.Paragraph type="warning">{t("twoFactor.requiredForRole")}</Typography.Paragraph>}
          {setting ? (
            <TwoFactorSetup
              onDone={() => {
                setSetting(false);
                void qc.invalidateQueries({ queryKey: ["two-factor"] });
              }}
            />
          ) : (
            <Space direction="vertical">
              <Typography.Paragraph type="secondary">{t("twoFactor.intro")}</Typography.Paragraph>
              <Button type="primary" onClick={() => setSetting(true)}>
                {t("twoFactor.setUp")}
              </Button>
            </Space>
          )}
        </>
      )}
      {s?.totp && (
        <Space direction="vertical">
          <Space>
            <Tag color="green">{t("twoFactor.on")}</Tag>
            <span>{t("twoFactor.codesLeft", { count: s.recoveryCodesLeft })}</span>
          </Space>
          <Space>
            <Button onClick={() => setAsk("codes")}>{t("twoFactor.newCodes")}</Button>
            {!s.required && (
              <Button danger onClick={() => setAsk("off")}>
                {t("twoFactor.turnOff")}
              </Button>
            )}
          </Space>
        </Space>
      )}
      <Modal
        open={ask !== null}
        title={t(ask === "off" ? "twoFactor.turnOff" : "twoFactor.newCodes")}
        onCancel={() => setAsk(null)}
        footer={null}
        destroyOnHidden
      >
        <Form layout="vertical" onFinish={(v: { code: string }) => act.mutate({ code: v.code.replace(/\s/g, "") })}>
          <Form.Item
            name="code"
            label={t("twoFactor.code")}
            rules={[{ required: true, pattern: /^\s*\d{3}\s?\d{3}\s*$/, message: t("twoFactor.codeInvalid") }]}
          >
            <Input autoComplete="one-time-code" inputMode="numeric" maxLength={7} />
          </Form.Item>
          <Button type="primary" htmlType="submit" danger={ask === "off"} loading={act.isPending}>
            {t("twoFactor.confirm")}
          </Button>
        </Form>
      </Modal>
      <Modal open={newCodes !== null} title={t("twoFactor.newCodes")} onOk={() => setNewCodes(null)} onCancel={() => setNewCodes(null)}>
        <Typography.Paragraph>{t("twoFactor.keepCodes")}</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: newCodes?.join("\n") }}>
          <pre style={{ columns: 2, margin: 0 }}>{newCodes?.join("\n")}</pre>
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
