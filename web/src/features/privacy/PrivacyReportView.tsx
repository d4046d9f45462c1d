import type { PrivacyRequest } from "@loopdesk/contracts/privacy";
import { Alert, Descriptions, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

const when = (iso: string | null) => (iso ? dayjs(iso).format("YYYY-MM-DD HH:mm") : "—");

/** A request's details and, once an erasure ran, its verification report: what was found, what was done, what a search found afterwards. */
export function PrivacyReportView({ request: r, actions }: { request: PrivacyRequest; actions: ReactNode }) {
  const { t, i18n } = useTranslation();
  const report = r.report;
  const table = (name: string) => (i18n.exists(`privacy.tables.${name}`) ? t(`privacy.tables.${name}`) : name);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t("privacy.customer")}>
          {r.customer.erased ? t("privacy.erasedCustomer") : r.customer.name} · {t("privacy.customerNo", { id: r.customer.id })}
        </Descriptions.Item>
        <Descriptions.Item label={t("privacy.channel")}>{t(`privacy.channels.${r.channel}`)}</Descriptions.Item>
        <Descriptions.Item label={t("privacy.received")}>{when(r.receivedAt)}</Descriptions.Item>
        <Descriptions.Item label={t("privacy.due")}>{when(r.dueAt)}</Descriptions.Item>
        <Descriptions.Item label={t("privacy.status")}>
          {t(`privacy.statuses.${r.status}`)}
          {r.completedAt && ` · ${when(r.completedAt)}`}
          {r.completedBy && ` · ${r.completedBy.name}`}
        </Descriptions.Item>
        {r.note ? <Descriptions.Item label={t("privacy.note")}>{r.note}</Descriptions.Item> : null}
        {r.reason ? <Descriptions.Item label={t("privacy.reason")}>{r.reason}</Descriptions.Item> : null}
        {r.archive ? (
          <Descriptions.Item label={t("privacy.archive")}>
            {t("privacy.archiveSize", { kb: Math.max(1, Math.round(r.archive.size / 1024)) })}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      {actions}
      {report && (
        <div data-testid="privacy-report">
          <Typography.Title level={5}>{t("privacy.report.title")}</Typography.Title>
          {report.verification.remaining.length === 0 ? (
            <Alert
              type="success"
              showIcon
              message={t("privacy.report.clean")}
              description={t("privacy.report.cleanDetail", {
                values: report.verification.searchedValues,
                columns: report.verification.columnsSearched,
                files: report.verification.filesSearched,
              })}
            />
          ) : (
            <Alert
              type="warning"
              showIcon
              message={t("privacy.report.remaining")}
              description={report.verification.remaining
                .map((x) => `${table(x.where.split(".")[0] ?? x.where)} (${x.where}): ${x.count}`)
                .join("；")}
            />
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {Object.entries(report.verification.kinds)
              .map(([k, n]) => `${t(`privacy.needleKinds.${k}`)} ${n}`)
              .join(" · ")}
          </Typography.Paragraph>
          <Descriptions size="small" column={2} title={t("privacy.report.found")}>
            {Object.entries(report.found).map(([k, n]) => (
              <Descriptions.Item key={k} label={t(`privacy.found.${k}`)}>
                {n}
              </Descriptions.Item>
            ))}
          </Descriptions>
          <Table
            size="small"
            rowKey="table"
            pagination={false}
            title={() => t("privacy.report.done")}
            dataSource={Object.entries(report.done)
              .filter(([, n]) => n > 0)
              .map(([name, n]) => ({ table: name, n }))}
            columns={[
              { title: t("privacy.report.where"), render: (_, x) => table(x.table) },
              { title: t("privacy.report.rows"), dataIndex: "n", width: 90 },
            ]}
          />
          <Space wrap style={{ marginTop: 8 }}>
            <Tag>{t("privacy.report.filesRemoved", { count: report.filesRemoved })}</Tag>
            <Tag color="blue">{t("privacy.report.keptFacts", { count: report.keptFacts })}</Tag>
            <Tag>{t("privacy.report.duration", { s: (report.durationMs / 1000).toFixed(1) })}</Tag>
          </Space>
        </div>
      )}
    </Space>
  );
}
