import type { ImportJob } from "@loopdesk/contracts/imports";
import { App, Button, Card, Form, Input, InputNumber, Segmented, Space, Typography, Upload } from "antd";
import type { UploadFile } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, uploadFiles } from "../../api/client";
import { importErrorText } from "./import-api";

type Kind = "zendesk-export" | "zendesk-api" | "osticket";

/** 从其他工单系统导入: Zendesk's export files or API, or osTicket's database; each is surveyed, then mapped in the wizard. */
export function HelpdeskSourcesCard() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>("zendesk-export");
  return (
    <Card size="small" title={t("helpdeskImport.title")}>
      <Typography.Paragraph type="secondary">{t("helpdeskImport.help")}</Typography.Paragraph>
      <Segmented<Kind>
        value={kind}
        onChange={setKind}
        style={{ marginBottom: 16 }}
        options={[
          { value: "zendesk-export", label: t("helpdeskImport.kinds.zendesk-export") },
          { value: "zendesk-api", label: t("helpdeskImport.kinds.zendesk-api") },
          { value: "osticket", label: t("helpdeskImport.kinds.osticket") },
        ]}
      />
      {kind === "zendesk-export" && <ZendeskFiles />}
      {kind === "zendesk-api" && <ZendeskApi />}
      {kind === "osticket" && <OsTicket />}
    </Card>
  );
}

/** Creates the import and opens its wizard; a refusal is worded by its reason. */
function useConnect() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const connect = async (create: () => Promise<ImportJob>) => {
    setBusy(true);
    try {
      const job = await create();
      navigate(`/admin/data/imports/${job.id}`);
    } catch (e) {
      message.error(importErrorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, connect };
}

function ZendeskFiles() {
  const { t } = useTranslation();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [form] = Form.useForm<{ url?: string; email?: string; token?: string }>();
  const { busy, connect } = useConnect();
  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 560 }}>
      <Typography.Paragraph type="secondary">{t("helpdeskImport.filesHelp")}</Typography.Paragraph>
      <Form.Item label={t("helpdeskImport.files")} required>
        <Upload
          multiple
          accept=".json,.ndjson,.jsonl"
          fileList={files}
          beforeUpload={(file) => {
            setFiles((list) => [...list, file as unknown as UploadFile]);
            return false;
          }}
          onRemove={(file) => setFiles((list) => list.filter((f) => f.uid !== file.uid))}
        >
          <Button data-testid="zendesk-files">{t("helpdeskImport.chooseFiles")}</Button>
        </Upload>
      </Form.Item>
      <Typography.Text type="secondary">{t("helpdeskImport.attachmentAccess")}</Typography.Text>
      <Space wrap style={{ marginTop: 8 }}>
        <Form.Item name="url" label={t("helpdeskImport.zendeskUrl")}>
          <Input placeholder="https://acme.zendesk.com" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="email" label={t("helpdeskImport.email")}>
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="token" label={t("helpdeskImport.token")}>
          <Input.Password style={{ width: 200 }} autoComplete="new-password" />
        </Form.Item>
      </Space>
      <Form.Item>
        <Button
          type="primary"
          disabled={!files.length}
          loading={busy}
          data-testid="zendesk-files-upload"
          onClick={() => {
            const v = form.getFieldsValue();
            const fields = Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === "string" && x.trim())) as Record<
              string,
              string
            >;
            void connect(() => uploadFiles<ImportJob>(files as unknown as File[], "/imports/zendesk-export", fields));
          }}
        >
          {t("helpdeskImport.uploadAndSurvey")}
        </Button>
      </Form.Item>
    </Form>
  );
}

function ZendeskApi() {
  const { t } = useTranslation();
  const { busy, connect } = useConnect();
  return (
    <Form
      layout="vertical"
      style={{ maxWidth: 560 }}
      onFinish={(body: { url: string; email: string; token: string }) =>
        void connect(() => api<ImportJob>("/imports/zendesk-api", { method: "POST", body }))
      }
    >
      <Typography.Paragraph type="secondary">{t("helpdeskImport.apiHelp")}</Typography.Paragraph>
      <Form.Item name="url" label={t("helpdeskImport.zendeskUrl")} rules={[{ required: true }]}>
        <Input placeholder="https://acme.zendesk.com" />
      </Form.Item>
      <Form.Item name="email" label={t("helpdeskImport.email")} rules={[{ required: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="token" label={t("helpdeskImport.token")} rules={[{ required: true }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="zendesk-api-connect">
        {t("helpdeskImport.connect")}
      </Button>
    </Form>
  );
}

function OsTicket() {
  const { t } = useTranslation();
  const { busy, connect } = useConnect();
  return (
    <Form
      layout="vertical"
      style={{ maxWidth: 560 }}
      initialValues={{ port: 3306, prefix: "ost_" }}
      onFinish={(body: Record<string, unknown>) => void connect(() => api<ImportJob>("/imports/osticket", { method: "POST", body }))}
    >
      <Typography.Paragraph type="secondary">{t("helpdeskImport.osticketHelp")}</Typography.Paragraph>
      <Space wrap>
        <Form.Item name="host" label={t("helpdeskImport.host")} rules={[{ required: true }]}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="port" label={t("helpdeskImport.port")}>
          <InputNumber min={1} max={65535} />
        </Form.Item>
        <Form.Item name="database" label={t("helpdeskImport.database")} rules={[{ required: true }]}>
          <Input style={{ width: 160 }} />
        </Form.Item>
      </Space>
      <Space wrap>
        <Form.Item name="user" label={t("helpdeskImport.user")} rules={[{ required: true }]}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="password" label={t("helpdeskImport.password")}>
          <Input.Password style={{ width: 160 }} autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="prefix" label={t("helpdeskImport.prefix")}>
          <Input style={{ width: 100 }} />
        </Form.Item>
      </Space>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="osticket-connect">
        {t("helpdeskImport.connect")}
      </Button>
    </Form>
  );
}
