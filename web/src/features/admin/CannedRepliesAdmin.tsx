import type { CannedReply } from "@loopdesk/contracts/workspace";
import { Button, Checkbox, Form, Input, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { useList, useRemove, useSave } from "./admin-api";
import { EditModal } from "./EditModal";
import { actionsFromForm, actionsToForm, MacroActionsFields, MacroActionTags } from "./MacroActionsFields";
import { RowActions } from "./RowActions";

/** Canned replies and macros (a reply that also changes the ticket): everyone keeps their own; supervisors and admins maintain the shared ones. */
export function CannedRepliesAdmin() {
  const { t } = useTranslation();
  const { user } = useSession();
  const canShare = user?.kind === "staff" && user.role !== "agent";
  const replies = useList<CannedReply>("/canned-replies");
  const [editing, setEditing] = useState<CannedReply | "new" | null>(null);
  const [form] = Form.useForm();
  const save = useSave<CannedReply>("/canned-replies", { form, onDone: () => setEditing(null) });
  const remove = useRemove("/canned-replies");
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Button
          type="primary"
          onClick={() => {
            setEditing("new");
            form.resetFields();
          }}
        >
          {t("admin.canned.add")}
        </Button>
        <Typography.Text type="secondary">
          {t("admin.canned.placeholders", { list: "{{customer.name}} {{ticket.number}} {{ticket.subject}} {{agent.name}}" })}
        </Typography.Text>
      </Space>
      <Table<CannedReply>
        rowKey="id"
        size="small"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        loading={replies.isLoading}
        dataSource={replies.data ?? []}
        scroll={{ x: 600 }}
        columns={[
          { title: t("admin.canned.title"), dataIndex: "title", width: 180 },
          { title: t("admin.canned.body"), dataIndex: "body", ellipsis: true },
          {
            title: t("macro.changes"),
            key: "macro",
            width: 220,
            render: (_: unknown, r) => <MacroActionTags actions={r.actions} />,
          },
          {
            title: t("admin.canned.scope"),
            dataIndex: "shared",
            width: 100,
            render: (s: boolean) => (s ? <Tag color="blue">{t("admin.canned.shared")}</Tag> : <Tag>{t("admin.canned.personal")}</Tag>),
          },
          {
            title: t("common.actions"),
            key: "actions",
            width: 170,
            render: (_: unknown, r) =>
              r.editable ? (
                <RowActions
                  confirm={t("admin.canned.deleteConfirm")}
                  onEdit={() => {
                    setEditing(r);
                    form.resetFields();
                    form.setFieldsValue({ ...r, actions: actionsToForm(r.actions) });
                  }}
                  onDelete={() => remove.mutate(r.id)}
                />
              ) : (
                // A shared reply an agent may use but not change: say who keeps it, not an empty cell.
                <Typography.Text type="secondary">{t("admin.canned.readOnly")}</Typography.Text>
              ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.canned.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
      >
        <Form
          name="canned"
          form={form}
          layout="vertical"
          initialValues={{ shared: false, actions: {} }}
          onFinish={(v) =>
            save.mutate({
              id: editing === "new" ? undefined : editing?.id,
              body: { ...v, body: v.body ?? "", actions: actionsFromForm(v.actions) },
            })
          }
        >
          <Form.Item
            name="title"
            label={t("admin.canned.title")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="body" label={t("admin.canned.body")}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={10000} />
          </Form.Item>
          <MacroActionsFields />
          {canShare && (
            <Form.Item name="shared" valuePropName="checked">
              <Checkbox>{t("admin.canned.shareWithTeam")}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </EditModal>
    </>
  );
}
