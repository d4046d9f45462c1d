import type { DryRunReport, ImportJob, ValueMap } from "@loopdesk/contracts/imports";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Input, Select, Space, Steps, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api } from "../../api/client";
import { FIELDS, importErrorText, importKey, useImport } from "./import-api";
import { ProblemTable, ProgressStep } from "./ImportOutcome";
import { HelpdeskWizard } from "./HelpdeskWizard";
import { ValueStep, useSaveMapping } from "./ValueStep";

/** 导入向导 for one uploaded file: columns → values → check → import → summary. Reloading resumes at its step. */
export function ImportWizard() {
  const id = Number(useParams().id);
  const job = useImport(id);
  if (job.isLoading || !job.data) return <Card loading />;
  if (job.data.source !== "spreadsheet") return <HelpdeskWizard job={job.data} />;
  return <WizardFor job={job.data} />;
}

function WizardFor({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const started = job.status !== "uploaded";
  const [step, setStep] = useState(started ? 3 : 0);
  useEffect(() => {
    if (started) setStep(3);
  }, [started]);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Space wrap>
        <Link to="/admin/data">{t("imports.back")}</Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {job.fileName}
        </Typography.Title>
        <Tag>{t(`imports.entities.${job.entity}`)}</Tag>
        <Typography.Text type="secondary">
          {t("imports.fileFacts", { rows: job.totalRows, format: job.format.toUpperCase(), encoding: job.encoding ?? "" })}
        </Typography.Text>
      </Space>
      <Steps
        current={step}
        size="small"
        items={[
          { title: t("imports.steps.columns") },
          { title: t("imports.steps.values") },
          { title: t("imports.steps.check") },
          { title: t("imports.steps.import") },
        ]}
      />
      {step === 0 && <ColumnStep job={job} onNext={() => setStep(1)} />}
      {step === 1 && <ValueStep job={job} onBack={() => setStep(0)} onNext={() => setStep(2)} />}
      {step === 2 && <CheckStep job={job} onBack={() => setStep(1)} />}
      {step === 3 && <ProgressStep job={job} />}
    </Space>
  );
}

function ColumnStep({ job, onNext }: { job: ImportJob; onNext: () => void }) {
  const { t } = useTranslation();
  const [columns, setColumns] = useState<Record<string, string>>(job.columns);
  const [saveAs, setSaveAs] = useState("");
  const save = useSaveMapping(job);
  const mappings = useQuery({
    queryKey: ["import-mappings", job.entity],
    queryFn: async () =>
      (
        await api<{ items: { id: number; name: string; columns: Record<string, string>; valueMap: ValueMap }[] }>(
          `/import-mappings?entity=${job.entity}`,
        )
      ).items,
  });
  const custom = useQuery({
    queryKey: ["custom-fields", job.entity],
    queryFn: async () =>
      (await api<{ items: { key: string; label: string; entity: string; active: boolean }[] }>("/custom-fields")).items.filter(
        (f) => f.active && f.entity === { tickets: "ticket", customers: "customer", organizations: "organization" }[job.entity],
      ),
  });
  const options = [
    { value: "", label: t("imports.skipColumn") },
    ...FIELDS[job.entity].map((f) => ({ value: f, label: t(`imports.fields.${f}`) })),
    ...(custom.data ?? []).map((f) => ({ value: `custom.${f.key}`, label: `${t("imports.customField")}：${f.label}` })),
  ];
  const used = Object.values(columns).filter(Boolean);
  return (
    <Card size="small" title={t("imports.columnsTitle")}>
      {!!mappings.data?.length && (
        <Space style={{ marginBottom: 12 }}>
          <span>{t("imports.useSaved")}</span>
          <Select
            style={{ width: 240 }}
            placeholder={t("imports.savedMapping")}
            options={mappings.data.map((m) => ({ value: m.id, label: m.name }))}
            onChange={(v) => {
              const m = mappings.data?.find((x) => x.id === v);
              if (m) setColumns(Object.fromEntries(job.headers.map((h) => [h, m.columns[h] ?? ""])));
            }}
          />
        </Space>
      )}
      <Table
        rowKey="header"
        size="small"
        pagination={false}
        dataSource={job.headers.map((header, i) => ({ header, i }))}
        columns={[
          { title: t("imports.theirColumn"), dataIndex: "header", width: 200 },
          {
            title: t("imports.examples"),
            render: (_, r) => (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                {job.sample
                  .map((s) => s[r.i])
                  .filter(Boolean)
                  .slice(0, 3)
                  .join(" · ")}
              </Typography.Text>
            ),
          },
          {
            title: t("imports.ourField"),
            width: 240,
            render: (_, r) => (
              <Select
                style={{ width: "100%" }}
                showSearch
                optionFilterProp="label"
                aria-label={r.header}
                data-testid={`import-column-${r.i}`}
                value={columns[r.header] ?? ""}
                options={options.map((o) => ({ ...o, disabled: !!o.value && o.value !== columns[r.header] && used.includes(o.value) }))}
                onChange={(v) => setColumns({ ...columns, [r.header]: v })}
              />
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }} wrap>
        <Input
          placeholder={t("imports.saveAsPlaceholder")}
          value={saveAs}
          onChange={(e) => setSaveAs(e.target.value)}
          style={{ width: 260 }}
        />
        <Button
          type="primary"
          loading={save.isPending}
          data-testid="import-columns-next"
          onClick={() =>
            save.mutate(
              { columns, valueMap: job.valueMap, options: job.options, ...(saveAs.trim() ? { saveAs: saveAs.trim() } : {}) },
              { onSuccess: onNext },
            )
          }
        >
          {t("imports.next")}
        </Button>
      </Space>
    </Card>
  );
}

function CheckStep({ job, onBack }: { job: ImportJob; onBack: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [runAutomations, setRunAutomations] = useState(job.options.runAutomations);
  const check = useMutation({
    mutationFn: () => api<DryRunReport>(`/imports/${job.id}/dry-run`, { method: "POST", body: {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: importKey(job.id) }),
    onError: (e) => void message.error(importErrorText(t, e)),
  });
  const save = useSaveMapping(job);
  const start = useMutation({
    mutationFn: async () => {
      if (runAutomations !== job.options.runAutomations)
        await save.mutateAsync({ columns: job.columns, valueMap: job.valueMap, options: { runAutomations } });
      return api<ImportJob>(`/imports/${job.id}/start`, { method: "POST", body: {} });
    },
    onSuccess: (saved) => qc.setQueryData(importKey(job.id), saved),
    onError: (e) => void message.error(importErrorText(t, e)),
  });
  const report = job.dryRun;
  return (
    <Card size="small" title={t("imports.checkTitle")}>
      <Typography.Paragraph type="secondary">{t("imports.checkHelp")}</Typography.Paragraph>
      <Button onClick={() => check.mutate()} loading={check.isPending} data-testid="import-check">
        {report ? t("imports.checkAgain") : t("imports.check")}
      </Button>
      {report && (
        <>
          <Space wrap style={{ margin: "12px 0" }} data-testid="import-check-summary">
            <Tag color="green">{t("imports.willImport", { count: report.ok })}</Tag>
            {report.withProblems > 0 && <Tag color="red">{t("imports.withProblems", { count: report.withProblems })}</Tag>}
            {report.alreadyImported > 0 && <Tag>{t("imports.alreadyImported", { count: report.alreadyImported })}</Tag>}
            {report.duplicates > 0 && <Tag color="orange">{t("imports.duplicates", { count: report.duplicates })}</Tag>}
            {report.warnings > 0 && <Tag color="gold">{t("imports.warnings", { count: report.warnings })}</Tag>}
            {report.problemCount > 0 && (
              <Button size="small" href={`/api/v1/imports/${job.id}/report`} data-testid="import-report-download">
                {t("imports.downloadReport")}
              </Button>
            )}
          </Space>
          <ProblemTable problems={report.problems} />
          <Space direction="vertical" style={{ marginTop: 12 }}>
            <Checkbox checked={runAutomations} onChange={(e) => setRunAutomations(e.target.checked)}>
              {t("imports.runAutomations")}
            </Checkbox>
            <Space>
              <Button onClick={onBack}>{t("imports.back")}</Button>
              <Button
                type="primary"
                disabled={report.ok === 0}
                loading={start.isPending}
                onClick={() => start.mutate()}
                data-testid="import-start"
              >
                {t("imports.start", { count: report.ok })}
              </Button>
            </Space>
          </Space>
        </>
      )}
    </Card>
  );
}
