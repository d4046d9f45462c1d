import { type FormInstance, Modal } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * The dialog every admin list edits in: its form is submitted by Save, and it stays mounted
 * (forceRender) so the form can be filled before it opens.
 */
export function EditModal({
  open,
  title,
  form,
  saving,
  onClose,
  width,
  children,
}: {
  open: boolean;
  title: string;
  form: FormInstance;
  saving: boolean;
  onClose: () => void;
  width?: number;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      width={width}
    >
      {children}
    </Modal>
  );
}
