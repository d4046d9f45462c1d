import type { AgentStats, TeamStats } from "@loopdesk/contracts/analytics";
import { Button, Card, Col, Row, Select, Statistic, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNamed } from "../tickets/ticket-api";
import { type ReportFilters, decimal, formatDuration, percent, useAgentReport, useMyReport, useTeamReport } from "./analytics-api";
import { EChart } from "./EChart";
import { ExportLinks } from "./OverviewTab";

type StatsRow = Omit<AgentStats, "agentId"> & { key: number; agentId?: number; members?: number };
type DrillOpen = (metric: string, title: string, filters?: Partial<ReportFilters>, agentId?: number) => void;

function useColumns(onDrill?: (r: StatsRow, metric: string, label: string) => void): ColumnsType<StatsRow> {
  const { t } = useTranslation();
  const drillable = (metric: string, label: string) => (v: number, r: StatsRow) =>
    onDrill && r.agentId ? (
      <Button type="link" size="small" onClick={() => onDrill(r, metric, label)}>
        {v}
      </Button>
    ) : (
      v
    );
  return [
    { title: t("analytics.name"), dataIndex: "name", fixed: "left" },
    {
      title: t("analytics.handled"),
      dataIndex: "handled",
      sorter: (a, b) => a.handled - b.handled,
      render: drillable("resolved", t("analytics.handled")),
    },
    {
      title: t("analytics.firstResponses"),
      dataIndex: "firstResponses",
      render: drillable("first_response", t("analytics.firstResponses")),
    },
    {
      title: t("analytics.frtMean"),
      dataIndex: "frtMean",
      sorter: (a, b) => (a.frtMean ?? 0) - (b.frtMean ?? 0),
      render: (v: number | null) => formatDuration(v, t),
    },
    { title: t("analytics.resolutionMean"), dataIndex: "resolutionMean", render: (v: number | null) => formatDuration(v, t) },
    { title: t("analytics.fcr"), dataIndex: "fcrRate", render: percent },
    { title: t("analytics.reopenRate"), dataIndex: "reopenRate", render: percent },
    { title: t("analytics.csat"), dataIndex: "csatAverage", render: (v: number | null, r) => `${decimal(v)} (${r.csatCount})` },
    { title: t("analytics.slaBreached"), dataIndex: "slaBreached" },
    { title: t("analytics.load"), dataIndex: "load", sorter: (a, b) => a.load - b.load },
  ];
}

/** Every agent side by side for the range (optionally one team's), each number opening its tickets. */
export function AgentsTab({ filters, onDrill }: { filters: ReportFilters; onDrill: DrillOpen }) {
  const { t } = useTranslation();
  const [teamId, setTeamId] = useState<number | undefined>();
  const teams = useNamed("/teams");
  const report = useAgentReport({ from: filters.from, to: filters.to, teamId });
  const columns = useColumns((r, metric, label) =>
    onDrill(metric, `${r.name} · ${label}`, { from: filters.from, to: filters.to }, r.agentId),
  );
  const rows: StatsRow[] = (report.data ?? []).map((a) => ({ ...a, key: a.agentId }));
  return (
    <Card
      size="small"
      title={t("analytics.agents")}
      extra={
        <>
          <Select
            allowClear
            placeholder={t("analytics.team")}
            style={{ width: 160 }}
            value={teamId}
            onChange={setTeamId}
            options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
          <ExportLinks table="agents" filters={{ from: filters.from, to: filters.to }} />
        </>
      }
    >
      <Table<StatsRow>
        size="small"
        data-testid="agent-report"
        loading={report.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 900 }}
      />
    </Card>
  );
}

/** Teams compared: volume, speed and satisfaction side by side, as a table and a chart. */
export function TeamsTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const report = useTeamReport({ from: filters.from, to: filters.to });
  const columns = useColumns();
  const rows: StatsRow[] = (report.data ?? []).map((x: TeamStats) => ({ ...x, key: x.teamId }));
  return (
    <Card size="small" title={t("analytics.teams")} extra={<ExportLinks table="teams" filters={{ from: filters.from, to: filters.to }} />}>
      <EChart
        testId="chart-teams"
        height={240}
        option={{
          tooltip: { trigger: "axis" },
          legend: { top: 0, data: [t("analytics.handled"), t("analytics.load")] },
          grid: { left: 40, right: 16, top: 36, bottom: 24 },
          xAxis: { type: "category", data: rows.map((r) => r.name) },
          yAxis: { type: "value", minInterval: 1 },
          series: [
            { name: t("analytics.handled"), type: "bar", data: rows.map((r) => r.handled) },
            { name: t("analytics.load"), type: "bar", data: rows.map((r) => r.load) },
          ],
        }}
      />
      <Table<StatsRow>
        size="small"
        data-testid="team-report"
        dataSource={rows}
        columns={[...columns.slice(0, 1), { title: t("analytics.members"), dataIndex: "members" }, ...columns.slice(1)]}
        pagination={false}
        scroll={{ x: 900 }}
      />
    </Card>
  );
}

/** An agent's own numbers, next to their teams'. */
export function MyTab({ filters, onDrill, myId }: { filters: ReportFilters; onDrill: DrillOpen; myId: number }) {
  const { t } = useTranslation();
  const report = useMyReport({ from: filters.from, to: filters.to });
  const me = report.data?.me;
  const columns = useColumns();
  if (!me) return <Card loading />;
  const range = { from: filters.from, to: filters.to };
  const stat = (key: string, title: string, value: string | number, metric?: string) => (
    <Col xs={12} md={6} lg={4} key={key}>
      <Card
        size="small"
        hoverable={!!metric}
        data-testid={`my-${key}`}
        onClick={metric ? () => onDrill(metric, title, range, myId) : undefined}
      >
        <Statistic title={title} value={value} />
      </Card>
    </Col>
  );
  return (
    <>
      <Row gutter={[12, 12]}>
        {stat("handled", t("analytics.handled"), me.handled, "resolved")}
        {stat("firstResponses", t("analytics.firstResponses"), me.firstResponses, "first_response")}
        {stat("frt", t("analytics.frtMean"), formatDuration(me.frtMean, t))}
        {stat("resolution", t("analytics.resolutionMean"), formatDuration(me.resolutionMean, t))}
        {stat("csat", t("analytics.csat"), decimal(me.csatAverage), "csat")}
        {stat("load", t("analytics.load"), me.load, "backlog")}
      </Row>
      {report.data && report.data.teams.length > 0 && (
        <Card size="small" title={t("analytics.myTeams")} style={{ marginTop: 12 }}>
          <Table<StatsRow>
            size="small"
            rowKey="key"
            dataSource={report.data.teams.map((x) => ({ ...x, key: x.teamId }))}
            columns={columns}
            pagination={false}
            scroll={{ x: 900 }}
          />
        </Card>
      )}
    </>
  );
}
