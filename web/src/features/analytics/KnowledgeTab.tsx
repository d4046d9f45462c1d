import type { KnowledgeReport } from "@loopdesk/contracts/knowledge";
import { useQuery } from "@tanstack/react-query";
import { Card, Col, Row, Space, Statistic, Table } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import type { ReportFilters } from "./analytics-api";

/** 知识库 report: 自助解决 from the help center, the articles that resolved most tickets, each agent's contribution. */
export function KnowledgeTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const range = `from=${filters.from}&to=${filters.to}`;
  const report = useQuery({ queryKey: ["analytics", "knowledge", range], queryFn: () => api<KnowledgeReport>(`/kb/report?${range}`) });
  const r = report.data;
  const d = r?.deflection;
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="knowledge-report">
      <Row gutter={[16, 16]}>
        {(
          [
            ["visits", d?.visits],
            ["deflected", d?.deflected],
            ["submitted", d?.submitted],
          ] as const
        ).map(([key, value]) => (
          <Col xs={12} md={6} key={key}>
            <Card size="small">
              <Statistic title={t(`analytics.knowledge.${key}`)} value={value ?? 0} loading={report.isLoading} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("analytics.knowledge.rate")}
              value={d?.rate === null || d?.rate === undefined ? t("analytics.knowledge.noVisits") : `${(d.rate * 100).toFixed(1)}%`}
              loading={report.isLoading}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("analytics.knowledge.topArticles")}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={r?.topArticles ?? []}
          locale={{ emptyText: t("analytics.knowledge.noUses") }}
          columns={[
            { title: t("knowledge.articleTitle"), render: (_, a) => <Link to={`/knowledge/${a.id}`}>{a.title}</Link> },
            { title: t("analytics.knowledge.resolved"), dataIndex: "resolved", width: 110 },
            { title: t("analytics.knowledge.inserted"), dataIndex: "inserted", width: 110 },
            { title: t("analytics.knowledge.helpful"), dataIndex: "helpful", width: 110 },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t("analytics.knowledge.contributors")}
        extra={r && t("analytics.knowledge.feedback", { yes: r.feedback.helpful, no: r.feedback.notHelpful })}
      >
        <Table
          rowKey="staffId"
          size="small"
          pagination={false}
          dataSource={r?.contributors ?? []}
          locale={{ emptyText: t("analytics.knowledge.noContributors") }}
          columns={[
            { title: t("analytics.knowledge.agent"), dataIndex: "name" },
            { title: t("analytics.knowledge.written"), dataIndex: "written", width: 110 },
            { title: t("analytics.knowledge.published"), dataIndex: "published", width: 110 },
            { title: t("analytics.knowledge.used"), dataIndex: "used", width: 110 },
          ]}
        />
      </Card>
    </Space>
  );
}
