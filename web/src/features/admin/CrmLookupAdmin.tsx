import type { CrmSettings } from "@loopdesk/contracts/intake";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, Space, Switch, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { FormRows } from "./FormRows";

/** The CRM/ERP lookup: which URL to ask (with placeholders), the header that authenticates, what to show and fill. */
export function CrmLookupAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const settings = useQuery({ queryKey: ["crm-settings"], queryFn: () => api<CrmSettings>("/crm/settings") });
  useEffect(() => {
    if (settings.data) form.setFieldsValue({ ...settings.data, authHeaderValue: "" });
  }, [form, settings.data]);
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) =>
      api<CrmSettings>("/crm/settings", {
        method: "PUT",
        body: { ...v, authHeaderValue: v.authHeaderValue ? v.authHeaderValue : undefined },
      }),
    onSuccess: () => {
      void message.success(t("common.saved"));
      void qc.invalidateQueries({ queryKey: ["crm-settings"] });
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
  });
  return (
    <Card title={t("admin.sections.crm")}>
      <Typography.Paragraph type="secondary">{t("admin.crm.help")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} name="crm">
        <Form.Item name="enabled" label={t("admin.crm.enabled")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="urlTemplate" label={t("admin.crm.urlTemplate")} extra={t("admin.crm.urlHelp")}>
          <Input placeholder="https://erp.example.com/api/orders?phone={{customer.phone}}" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="authHeaderName" label={t("admin.crm.headerName")}>
            <Input style={{ width: 200 }} placeholder="Authorization" />
          </Form.Item>
          <Form.Item name="authHeaderValue" label={t("admin.crm.headerValue")}>
            <Input.Password
              style={{ width: 280 }}
              autoComplete="new-password"
              placeholder={settings.data?.authHeaderSet ? t("admin.crm.keepValue") : ""}
            />
          </Form.Item>
        </Space>
        <Form.Item name="recordsPath" label={t("admin.crm.recordsPath")} extra={t("admin.crm.pathHelp")}>
          <Input placeholder="data.orders" />
        </Form.Item>
        <FormRows name="columns" label={t("admin.crm.columns")} addLabel={t("admin.crm.addColumn")} initial={{ label: "", path: "" }}>
          {(row) => (
            <>
              <Form.Item name={[row, "label"]} noStyle rules={[{ required: true, whitespace: true }]}>
                <Input placeholder={t("admin.crm.columnLabel")} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name={[row, "path"]} noStyle>
                <Input placeholder="items[0].model" style={{ width: 200 }} />
              </Form.Item>
            </>
          )}
        </FormRows>
        <FormRows
          name="fill"
          label={t("admin.crm.fill")}
          extra={t("admin.crm.fillHelp")}
          addLabel={t("admin.crm.addFill")}
          initial={{ field: "", path: "" }}
        >
          {(row) => (
            <>
              <Form.Item name={[row, "field"]} noStyle rules={[{ required: true }]}>
                <Input placeholder={t("admin.crm.fieldKey")} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name={[row, "path"]} noStyle>
                <Input placeholder="no" style={{ width: 200 }} />
              </Form.Item>
            </>
          )}
        </FormRows>
        <Space wrap>
          <Form.Item name="cacheMinutes" label={t("admin.crm.cacheMinutes")}>
            <InputNumber min={0} max={1440} />
          </Form.Item>
          <Form.Item name="timeoutMs" label={t("admin.crm.timeoutMs")}>
            <InputNumber min={500} max={30000} step={500} />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t("common.save")}
        </Button>
      </Form>
    </Card>
  );
}
