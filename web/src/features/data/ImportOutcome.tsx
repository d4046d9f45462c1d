import type { ImportJob } from "@loopdesk/contracts/imports";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Progress, Result, Space, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";

/** The problems of a check or an import, by row and column. */
export function ProblemTable({ problems, fromHelpdesk = false }: { problems: ImportJob["problems"]; fromHelpdesk?: boolean }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <Table
      rowKey={(p) => `${p.row}-${p.column}-${p.code}`}
      size="small"
      dataSource={problems}
      pagination={{ pageSize: 10, showSizeChanger: false }}
      data-testid="import-problems"
      columns={[
        { title: fromHelpdesk ? t("helpdeskImport.theirTicket") : t("imports.row"), dataIndex: "row", width: 100 },
        {
          title: fromHelpdesk ? t("helpdeskImport.fieldOrFile") : t("imports.column"),
          dataIndex: "column",
          width: 160,
          render: (c: string) => c || "—",
        },
        {
          title: t("imports.value"),
          width: 220,
          render: (_, p) =>
            p.code === "duplicate_row"
              ? t("imports.sameAsRow", { row: p.value })
              : p.code === "attachment_unavailable"
                ? t(`helpdeskImport.attachmentReasons.${p.value ?? "unreadable"}`, {
                    defaultValue: t("helpdeskImport.attachmentReasons.unreadable"),
                  })
                : (p.value ?? ""),
        },
        {
          title: t("imports.problem"),
          render: (_, p) => (
            <Space>
              {p.warning ? <Tag color="gold">{t("imports.taken")}</Tag> : <Tag color="red">{t("imports.notTaken")}</Tag>}
              {t(`imports.problems.${p.code}`)}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** The import running (progress) or done (counts, the records made, what was left out). */
export function ProgressStep({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const records = useQuery({
    queryKey: ["import-records", job.id],
    enabled: job.status === "done",
    queryFn: async () => (await api<{ items: { id: number; label: string }[] }>(`/imports/${job.id}/records`)).items,
  });
  const percent = job.totalRows ? Math.floor((job.processedRows / job.totalRows) * 100) : 0;
  if (job.status === "done")
    return (
      <Card size="small">
        <Result
          status={job.failed ? "warning" : "success"}
          title={t("imports.doneTitle", { count: job.created })}
          subTitle={t(job.source === "spreadsheet" ? "imports.doneFacts" : "helpdeskImport.doneFacts", {
            rows: job.processedRows,
            skipped: job.skipped,
            failed: job.failed,
          })}
          extra={
            job.problemCount > 0 ? (
              <Button href={`/api/v1/imports/${job.id}/report`} data-testid="import-report-download">
                {t("imports.downloadReport")}
              </Button>
            ) : undefined
          }
        />
        {!!records.data?.length && (
          <>
            <Typography.Title level={5}>{t("imports.created")}</Typography.Title>
            <ul data-testid="import-created">
              {records.data.map((r) => (
                <li key={r.id}>{job.entity === "tickets" ? <Link to={`/tickets/${r.id}`}>{r.label}</Link> : r.label}</li>
              ))}
            </ul>
          </>
        )}
        <ProblemTable problems={job.problems} fromHelpdesk={job.source !== "spreadsheet"} />
      </Card>
    );
  return (
    <Card size="small" title={t(`imports.statuses.${job.status}`)}>
      {job.status === "failed" ? (
        <Alert type="error" showIcon message={t("imports.failed")} description={job.error} />
      ) : (
        <>
          <Progress percent={percent} status="active" data-testid="import-progress" />
          <Typography.Paragraph type="secondary">
            {t("imports.progressFacts", { done: job.processedRows, rows: job.totalRows, created: job.created })}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t("imports.survivesReload")}</Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
