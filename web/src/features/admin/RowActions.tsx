import { Button, Popconfirm, Space } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** The actions cell of an admin list: edit, anything extra, and delete after a confirmation. */
export function RowActions({
  onEdit,
  onDelete,
  confirm,
  children,
}: {
  onEdit: () => void;
  onDelete?: () => void;
  confirm: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      <Button size="small" onClick={onEdit}>
        {t("common.edit")}
      </Button>
      {children}
      {onDelete && (
        <Popconfirm title={confirm} onConfirm={onDelete}>
          <Button size="small" danger>
            {t("common.delete")}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
