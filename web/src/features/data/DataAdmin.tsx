import type { ImportEntity, ImportJob } from "@loopdesk/contracts/imports";
import type { BackupOverview, WorkspaceExport } from "@loopdesk/contracts/portability";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Progress, Select, Space, Table, Tag, Typography, Upload } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Route, Routes, useNavigate } from "react-router";
import { api, uploadFile } from "../../api/client";
import { errorText } from "../../app/error-text";
import { importErrorText } from "./import-api";
import { HelpdeskSourcesCard } from "./HelpdeskSources";
import { ImportWizard } from "./ImportWizard";

const when = (iso: string | null) => (iso ? dayjs(iso).format("YYYY-MM-DD HH:mm") : "—");
const size = (bytes: number | null) =>
  bytes === null ? "—" : bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** 数据: imports (the wizard), an export of everything, and backups of the embedded database. */
export function DataAdmin() {
  return (
    <Routes>
      <Route index element={<DataOverview />} />
      <Route path="imports/:id" element={<ImportWizard />} />
    </Routes>
  );
}

function DataOverview() {
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <ImportsCard />
      <HelpdeskSourcesCard />
      <ExportCard />
      <BackupsCard />
    </Space>
  );
}

function ImportsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [entity, setEntity] = useState<ImportEntity>("tickets");
  const [uploading, setUploading] = useState(false);
  const imports = useQuery({
    queryKey: ["imports"],
    queryFn: async () => (await api<{ items: ImportJob[] }>("/imports")).items,
    refetchInterval: (q) => (q.state.data?.some((j) => ["queued", "running"].includes(j.status)) ? 2000 : false),
  });
  const upload = async (file: File) => {
    setUploading(true);
    try {
      const job = await uploadFile<ImportJob>(file, "/imports", { entity });
      navigate(`/admin/data/imports/${job.id}`);
    } catch (e) {
      message.error(importErrorText(t, e));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Card size="small" title={t("imports.title")}>
      <Typography.Paragraph type="secondary">{t("imports.help")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t("imports.whatToImport")}</span>
        <Select
          value={entity}
          onChange={setEntity}
          style={{ width: 160 }}
          aria-label={t("imports.whatToImport")}
          options={(["tickets", "customers", "organizations"] as const).map((e) => ({ value: e, label: t(`imports.entities.${e}`) }))}
        />
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button type="primary" loading={uploading} data-testid="import-upload">
            {t("imports.upload")}
          </Button>
        </Upload>
      </Space>
      <Table<ImportJob>
        rowKey="id"
        size="small"
        loading={imports.isLoading}
        dataSource={imports.data ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t("imports.none") }}
        onRow={(r) => ({ onClick: () => navigate(`/admin/data/imports/${r.id}`), style: { cursor: "pointer" } })}
        columns={[
          { title: t("imports.file"), dataIndex: "fileName", render: (v: string, r) => <a href={`/admin/data/imports/${r.id}`}>{v}</a> },
          {
            title: t("imports.what"),
            width: 120,
            render: (_, r) => (r.source === "spreadsheet" ? t(`imports.entities.${r.entity}`) : t(`helpdeskImport.formats.${r.format}`)),
          },
          {
            title: t("imports.state"),
            width: 220,
            render: (_, r) =>
              r.status === "running" || r.status === "queued" ? (
                <Progress percent={r.totalRows ? Math.floor((r.processedRows / r.totalRows) * 100) : 0} size="small" />
              ) : (
                <Tag color={{ done: "green", failed: "red", uploaded: "blue" }[r.status as string]}>
                  {t(`imports.statuses.${r.status}`)}
                </Tag>
              ),
          },
          { title: t("imports.rows"), width: 80, dataIndex: "totalRows" },
          { title: t("imports.createdCount"), width: 80, render: (_, r) => (r.status === "done" ? r.created : "—") },
          { title: t("imports.by"), width: 100, render: (_, r) => r.createdBy?.name ?? "—" },
          { title: t("imports.when"), width: 150, render: (_, r) => when(r.createdAt) },
        ]}
      />
    </Card>
  );
}

function ExportCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const exports = useQuery({
    queryKey: ["workspace-exports"],
    queryFn: async () => (await api<{ items: WorkspaceExport[] }>("/workspace-exports")).items,
    refetchInterval: (q) => (q.state.data?.some((e) => ["queued", "running"].includes(e.status)) ? 1500 : false),
  });
  const start = useMutation({
    mutationFn: () => api<WorkspaceExport>("/workspace-exports", { method: "POST", body: {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["workspace-exports"] }),
    onError: (e) => void message.error(errorText(t, e)),
  });
  return (
    <Card
      size="small"
      title={t("dataExport.title")}
      extra={
        <Button onClick={() => start.mutate()} loading={start.isPending} data-testid="export-everything">
          {t("dataExport.start")}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t("dataExport.help")}</Typography.Paragraph>
      <Table<WorkspaceExport>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={exports.data ?? []}
        locale={{ emptyText: t("dataExport.none") }}
        columns={[
          { title: t("dataExport.when"), width: 150, render: (_, r) => when(r.createdAt) },
          {
            title: t("dataExport.state"),
            render: (_, r) =>
              r.status === "done" ? (
                <Typography.Text>{t("dataExport.doneFacts", { rows: r.rows, tables: r.tablesTotal, files: r.files })}</Typography.Text>
              ) : r.status === "failed" ? (
                <Alert type="error" message={r.error} />
              ) : (
                <Progress size="small" percent={r.tablesTotal ? Math.floor((r.tablesDone / r.tablesTotal) * 100) : 0} />
              ),
          },
          { title: t("dataExport.size"), width: 90, render: (_, r) => size(r.bytes) },
          { title: t("imports.by"), width: 100, render: (_, r) => r.requestedBy?.name ?? "—" },
          {
            title: "",
            width: 110,
            render: (_, r) =>
              r.status === "done" ? (
                <Button size="small" href={`/api/v1/workspace-exports/${r.id}/download`} data-testid={`export-download-${r.id}`}>
                  {t("dataExport.download")}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

function BackupsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const backups = useQuery({ queryKey: ["backups"], queryFn: () => api<BackupOverview>("/backups") });
  const now = useMutation({
    mutationFn: () => api("/backups", { method: "POST", body: {} }),
    onSuccess: () => {
      message.success(t("backups.made"));
      void qc.invalidateQueries({ queryKey: ["backups"] });
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const b = backups.data;
  return (
    <Card
      size="small"
      title={t("backups.title")}
      loading={backups.isLoading}
      extra={
        b?.supported ? (
          <Button onClick={() => now.mutate()} loading={now.isPending} data-testid="backup-now">
            {t("backups.now")}
          </Button>
        ) : null
      }
    >
      {b && !b.supported && <Alert type="info" showIcon message={t("backups.postgres")} />}
      {b?.supported && (
        <>
          <Typography.Paragraph type="secondary">
            {b.intervalHours > 0
              ? t("backups.schedule", { hours: b.intervalHours, keep: b.keep, dir: b.dir })
              : t("backups.noSchedule", { dir: b.dir })}
          </Typography.Paragraph>
          <Table
            rowKey="name"
            size="small"
            pagination={false}
            dataSource={b.items}
            locale={{ emptyText: t("backups.none") }}
            columns={[
              { title: t("backups.name"), dataIndex: "name" },
              { title: t("dataExport.when"), width: 150, render: (_, r) => when(r.createdAt) },
              { title: t("dataExport.size"), width: 100, render: (_, r) => size(r.databaseBytes) },
              { title: t("backups.files"), width: 80, dataIndex: "files" },
              { title: t("backups.paused"), width: 120, render: (_, r) => t("backups.ms", { ms: r.pausedMs }) },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t("backups.restoreHelp")}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
