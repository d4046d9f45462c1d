import type { ImportJob } from "@loopdesk/contracts/imports";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Descriptions, Space, Steps, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { importErrorText, importKey } from "./import-api";
import { ProgressStep } from "./ImportOutcome";
import { ValueStep, useSaveMapping } from "./ValueStep";

/** An import from Zendesk or osTicket: what was found → their words mapped to ours → import → summary. */
export function HelpdeskWizard({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const started = job.status !== "uploaded";
  const [step, setStep] = useState(started ? 2 : 0);
  useEffect(() => {
    if (started) setStep(2);
  }, [started]);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Space wrap>
        <Link to="/admin/data">{t("imports.back")}</Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {job.fileName}
        </Typography.Title>
        <Tag color="purple">{t(`helpdeskImport.formats.${job.format}`)}</Tag>
      </Space>
      <Steps
        current={step}
        size="small"
        items={[
          { title: t("helpdeskImport.steps.values") },
          { title: t("helpdeskImport.steps.start") },
          { title: t("imports.steps.import") },
        ]}
      />
      {step < 2 && <SurveyFacts job={job} />}
      {step === 0 && <ValueStep job={job} onNext={() => setStep(1)} />}
      {step === 1 && <StartStep job={job} onBack={() => setStep(0)} />}
      {step === 2 && <ProgressStep job={job} />}
    </Space>
  );
}

function SurveyFacts({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const s = job.survey;
  if (!s) return null;
  return (
    <Card size="small" title={t("helpdeskImport.found")} data-testid="helpdesk-survey">
      <Descriptions size="small" column={4}>
        <Descriptions.Item label={t("helpdeskImport.counts.tickets")}>{s.tickets}</Descriptions.Item>
        <Descriptions.Item label={t("helpdeskImport.counts.people")}>{s.people}</Descriptions.Item>
        <Descriptions.Item label={t("helpdeskImport.counts.agents")}>{s.agents.length}</Descriptions.Item>
        <Descriptions.Item label={t("helpdeskImport.counts.organizations")}>{s.organizations}</Descriptions.Item>
      </Descriptions>
      {job.connection?.url && (
        <Typography.Text type="secondary">{t("helpdeskImport.readsFrom", { where: String(job.connection.url) })}</Typography.Text>
      )}
    </Card>
  );
}

function StartStep({ job, onBack }: { job: ImportJob; onBack: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [runAutomations, setRunAutomations] = useState(job.options.runAutomations);
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
  return (
    <Card size="small" title={t("helpdeskImport.steps.start")}>
      <Typography.Paragraph>{t("helpdeskImport.startHelp", { count: job.survey?.tickets ?? job.totalRows })}</Typography.Paragraph>
      <Space direction="vertical">
        <Checkbox checked={runAutomations} onChange={(e) => setRunAutomations(e.target.checked)}>
          {t("imports.runAutomations")}
        </Checkbox>
        <Space>
          <Button onClick={onBack}>{t("imports.back")}</Button>
          <Button type="primary" loading={start.isPending} onClick={() => start.mutate()} data-testid="import-start">
            {t("imports.start", { count: job.survey?.tickets ?? job.totalRows })}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
