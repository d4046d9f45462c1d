import { App, Button, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";

/** The signed-in user's name, opening a dialog to set or change their password. */
export function PasswordDialog({ name }: { name: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ currentPassword?: string; newPassword: string }>();
  const save = async (v: { currentPassword?: string; newPassword: string }) => {
    setBusy(true);
    try {
      await api("/me/password", {
        method: "PUT",
        body: { newPassword: v.newPassword, ...(v.currentPassword ? { currentPassword: v.currentPassword } : {}) },
      });
      void message.success(t("account.passwordSaved"));
      setOpen(false);
      form.resetFields();
    } catch (e) {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button type="text" data-testid="current-user" onClick={() => setOpen(true)} title={t("account.changePassword")}>
        {name}
      </Button>
      <Modal
        open={open}
        title={t("account.changePassword")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        confirmLoading={busy}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item name="currentPassword" label={t("account.currentPassword")} extra={t("account.currentPasswordHelp")}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t("account.newPassword")}
            rules={[{ required: true, min: 8, message: t("admin.staff.passwordRule") }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
