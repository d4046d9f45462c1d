import type { ProcessReport, ProcessStats } from "@loopdesk/contracts/processes";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Button, Card, Col, Drawer, Empty, Row, Space, Statistic, Table, Tag } from "antd";
import { useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import type { ReportFilters } from "./analytics-api";
import { EChart } from "./EChart";

type Drill = { title: string; query: string };
const h = (v: number | null, t: TFunction) => (v === null ? "—" : t("analytics.processes.hours", { n: v }));

/** 流程 report: per process, how many ran and how long they took; per step, waiting vs working time and where instances wait now. */
export function ProcessesTab({ filters }: { filters: ReportFilters }) {
  const { t } = useTranslation();
  const range = `from=${filters.from}&to=${filters.to}`;
  const report = useQuery({
    queryKey: ["analytics", "processes", range],
    queryFn: () => api<ProcessReport>(`/analytics/processes?${range}`),
  });
  const [drill, setDrill] = useState<Drill | null>(null);
  const items = report.data?.items ?? [];
  if (report.data && items.length === 0) return <Empty description={t("analytics.processes.none")} />;
  const open = (p: ProcessStats, which: string, title: string, nodeId?: string) =>
    setDrill({ title, query: `${range}&definitionId=${p.definitionId}&which=${which}${nodeId ? `&nodeId=${nodeId}` : ""}` });
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="processes-report">
      <Space>
        <Button href={`/api/v1/analytics/processes/export?${range}&format=csv`}>{t("tickets.exportCsv")}</Button>
        <Button href={`/api/v1/analytics/processes/export?${range}&format=xlsx`}>{t("tickets.exportXlsx")}</Button>
      </Space>
      {items.map((p) => (
        <Card key={p.definitionId} size="small" title={p.name} data-testid="process-report-card">
          <Row gutter={16}>
            {(
              [
                ["started", p.started, "started"],
                ["running", p.running, "running"],
                ["completed", p.completed, "completed"],
                ["rejected", p.rejected, "rejected"],
              ] as const
            ).map(([key, value, which]) => (
              <Col key={key} xs={12} md={4}>
                <Statistic
                  title={t(`analytics.processes.${key}`)}
                  value={value}
                  valueRender={(node) => (
                    <Button
                      type="link"
                      style={{ padding: 0, fontSize: "inherit" }}
                      onClick={() => open(p, which, `${p.name} · ${t(`analytics.processes.${key}`)}`)}
                    >
                      {node}
                    </Button>
                  )}
                />
              </Col>
            ))}
            <Col xs={12} md={4}>
              <Statistic title={t("analytics.processes.cycleMedian")} value={h(p.cycleMedianHours, t)} />
            </Col>
            <Col xs={12} md={4}>
              <Statistic title={t("analytics.processes.cycleP90")} value={h(p.cycleP90Hours, t)} />
            </Col>
          </Row>
          <EChart
            height={Math.max(160, p.steps.length * 36)}
            testId="process-step-chart"
            option={{
              tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
              legend: { top: 0, right: 0, data: [t("analytics.processes.waiting"), t("analytics.processes.working")] },
              grid: { left: 110, right: 24, top: 30, bottom: 24 },
              xAxis: { type: "value", name: t("analytics.processes.hoursUnit") },
              yAxis: { type: "category", data: p.steps.map((s) => s.name), inverse: true },
              series: [
                {
                  name: t("analytics.processes.waiting"),
                  type: "bar",
                  stack: "t",
                  data: p.steps.map((s) => s.waitingMedianHours ?? 0),
                  itemStyle: { color: "#f0a020" },
                },
                {
                  name: t("analytics.processes.working"),
                  type: "bar",
                  stack: "t",
                  data: p.steps.map((s) => s.workingMedianHours ?? 0),
                  itemStyle: { color: "#1f6feb" },
                },
              ],
            }}
          />
          <Table
            rowKey="nodeId"
            size="small"
            pagination={false}
            dataSource={p.steps}
            scroll={{ x: 800 }}
            columns={[
              {
                title: t("process.step"),
                dataIndex: "name",
                render: (n: string, s) =>
                  s.type === "approval" ? (
                    <Space size={4}>
                      {n}
                      <Tag color="purple">{t("process.approval")}</Tag>
                    </Space>
                  ) : (
                    n
                  ),
              },
              { title: t("analytics.processes.finished"), dataIndex: "finished" },
              { title: t("analytics.processes.waitingMedian"), dataIndex: "waitingMedianHours", render: (v: number | null) => h(v, t) },
              { title: t("analytics.processes.workingMedian"), dataIndex: "workingMedianHours", render: (v: number | null) => h(v, t) },
              { title: t("analytics.processes.totalP90"), dataIndex: "totalP90Hours", render: (v: number | null) => h(v, t) },
              {
                title: t("analytics.processes.activeNow"),
                dataIndex: "activeNow",
                render: (n: number, s) =>
                  n > 0 ? (
                    <Button
                      type="link"
                      size="small"
                      onClick={() => open(p, "active", `${p.name} · ${s.name}`, s.nodeId)}
                      data-testid="process-step-active"
                    >
                      {t("analytics.processes.activeLine", { n, oldest: h(s.oldestActiveHours, t) })}
                    </Button>
                  ) : (
                    "0"
                  ),
              },
              {
                title: t("analytics.processes.overdueNow"),
                dataIndex: "overdueNow",
                render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : "0"),
              },
              {
                title: t("analytics.processes.rejectionRate"),
                dataIndex: "rejectionRate",
                render: (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)}%`),
              },
            ]}
          />
        </Card>
      ))}
      <ProcessDrill drill={drill} onClose={() => setDrill(null)} />
    </Space>
  );
}

function ProcessDrill({ drill, onClose }: { drill: Drill | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const tickets = useQuery({
    queryKey: ["analytics", "processes", "drill", drill?.query],
    enabled: drill !== null,
    queryFn: async () => (await api<{ items: Ticket[] }>(`/analytics/processes/tickets?${drill?.query}`)).items,
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <Drawer
      open={drill !== null}
      onClose={onClose}
      size={720}
      title={drill ? t("analytics.drillTitle", { title: drill.title, count: tickets.data?.length ?? 0 }) : ""}
    >
      <Table<Ticket>
        rowKey="id"
        size="small"
        loading={tickets.isLoading}
        dataSource={tickets.data ?? []}
        pagination={false}
        columns={[
          { title: t("tickets.number"), dataIndex: "number", render: (n: number, r) => <Link to={`/tickets/${r.id}`}>#{n}</Link> },
          { title: t("tickets.subject"), dataIndex: "subject" },
          { title: t("tickets.status"), dataIndex: "status", render: (s: string) => <Tag>{t(`status.${s}`)}</Tag> },
          { title: t("analytics.created"), dataIndex: "createdAt", render: (v: string) => fmt.format(new Date(v)) },
        ]}
      />
    </Drawer>
  );
}
