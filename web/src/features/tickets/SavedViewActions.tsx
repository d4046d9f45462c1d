import type { SavedView } from "@loopdesk/contracts/workspace";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Checkbox, Form, Input, Modal, Popconfirm, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import type { ListFilters } from "./ticket-views";

/** Save the current filters as a view; update, share or delete the saved view being shown. */
export function SavedViewActions({
  current,
  filters,
  dirty,
  onSaved,
  onDeleted,
}: {
  current?: SavedView;
  filters: ListFilters;
  dirty: boolean;
  onSaved: (v: SavedView) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const done = (v?: SavedView) => {
    void qc.invalidateQueries({ queryKey: ["views"] });
    if (v) onSaved(v);
  };
  const onError = (e: unknown) => void message.error(errorText(t, e));
  const create = useMutation({
    mutationFn: (body: { name: string; shared: boolean }) => api<SavedView>("/views", { method: "POST", body: { ...body, filters } }),
    onSuccess: (v) => {
      setOpen(false);
      form.resetFields();
      void message.success(t("views.saved"));
      done(v);
    },
    onError,
  });
  const update = useMutation({
    mutationFn: (body: Partial<{ filters: ListFilters; shared: boolean }>) =>
      api<SavedView>(`/views/${current?.id}`, { method: "PATCH", body }),
    onSuccess: (v) => {
      void message.success(t("views.saved"));
      done(v);
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: () => api(`/views/${current?.id}`, { method: "DELETE" }),
    onSuccess: () => {
      done();
      onDeleted();
    },
    onError,
  });
  return (
    <Space wrap>
      {current?.editable && dirty && (
        <Button onClick={() => update.mutate({ filters })} loading={update.isPending}>
          {t("views.update")}
        </Button>
      )}
      {current?.editable && (
        <Button onClick={() => update.mutate({ shared: !current.shared })}>{current.shared ? t("views.unshare") : t("views.share")}</Button>
      )}
      {current?.editable && (
        <Popconfirm title={t("views.deleteConfirm", { name: current.name })} onConfirm={() => remove.mutate()}>
          <Button danger>{t("views.delete")}</Button>
        </Popconfirm>
      )}
      {(!current || dirty) && <Button onClick={() => setOpen(true)}>{t("views.saveAs")}</Button>}
      <Modal
        open={open}
        title={t("views.saveAs")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ shared: false }} onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="name"
            label={t("views.name")}
            rules={[{ required: true, whitespace: true, message: t("form.required", { field: t("views.name") }) }]}
          >
            <Input maxLength={80} autoFocus />
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox>{t("views.shareWithTeam")}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
