import type { OverviewReport } from "@loopdesk/contracts/analytics";
import { Button, Card, Col, Row, Space, Statistic, Table, Tooltip, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/session";
import { useNamed } from "../tickets/ticket-api";
import { type ReportFilters, decimal, formatDuration, percent, reportParams, useOverview } from "./analytics-api";
import { EChart } from "./EChart";

type DrillOpen = (metric: string, title: string, filters?: Partial<ReportFilters>) => void;

const nameIn = (t: (k: string) => string, list: { id: number; name: string }[] | undefined, id: number) =>
  id === 0 ? t("analytics.none") : (list?.find((x) => x.id === id)?.name ?? `#${id}`);

const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** The supervisors' overview: numbers that open their tickets, trends, where tickets come from, when they arrive. */
export function OverviewTab({ filters, onDrill }: { filters: ReportFilters; onDrill: DrillOpen }) {
  const { t } = useTranslation();
  const report = useOverview(filters);
  const categories = useNamed("/categories");
  const departments = useNamed("/departments");
  const teams = useNamed("/teams");
  const o = report.data;
  const { user } = useSession();
  // A supervisor's overview is always limited to their departments.
  const scoped = user?.kind === "staff" && user.role !== "admin";
  const nameOf = (list: { id: number; name: string }[] | undefined, id: number) => nameIn(t, list, id);
  const charts = useMemo(() => (o ? chartOptions(o, t, (id) => nameIn(t, categories.data, id)) : null), [o, t, categories.data]);
  if (!o || !charts) return <Card loading />;
  const k = o.totals;
  const kpi = (key: string, title: string, value: string | number, metric?: string, hint?: string) => (
    <Col xs={12} sm={8} md={6} lg={4} key={key}>
      <Card size="small" hoverable={!!metric} onClick={metric ? () => onDrill(metric, title) : undefined} data-testid={`kpi-${key}`}>
        <Tooltip title={hint}>
          <Statistic title={title} value={value} />
        </Tooltip>
      </Card>
    </Col>
  );
  const frt = k.firstResponse;
  const res = k.resolution;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size={12}>
      <Row gutter={[12, 12]}>
        {kpi("created", t("analytics.created"), k.created, "created")}
        {kpi("resolved", t("analytics.resolved"), k.resolved, "resolved")}
        {kpi("backlog", t("analytics.backlog"), k.backlog, "backlog")}
        {kpi(
          "frt",
          t("analytics.frtMedian"),
          formatDuration(frt.calendar.median, t),
          "first_response",
          t("analytics.durationHint", {
            mean: formatDuration(frt.calendar.mean, t),
            p90: formatDuration(frt.calendar.p90, t),
            business: formatDuration(frt.business.median, t),
          }),
        )}
        {kpi(
          "resolution",
          t("analytics.resolutionMedian"),
          formatDuration(res.calendar.median, t),
          "resolved",
          t("analytics.durationHint", {
            mean: formatDuration(res.calendar.mean, t),
            p90: formatDuration(res.calendar.p90, t),
            business: formatDuration(res.business.median, t),
          }),
        )}
        {kpi(
          "csat",
          t("analytics.csat"),
          decimal(k.csat.average),
          "csat",
          t("analytics.csatHint", { count: k.csat.count, positive: percent(k.csat.positive.rate) }),
        )}
        {kpi("fcr", t("analytics.fcr"), percent(k.firstContactResolution.rate), "fcr")}
        {kpi("transferred", t("analytics.transferRate"), percent(k.transferred.rate), "transferred")}
        {kpi("reopened", t("analytics.reopenRate"), percent(k.reopened.rate), "reopened")}
        {kpi("repeat", t("analytics.repeatRate"), percent(k.repeat.rate), "repeat")}
        {kpi("slaFr", t("analytics.slaFirstResponse"), percent(k.sla.firstResponse.rate), "sla_first_response_breached")}
        {kpi("slaRes", t("analytics.slaResolution"), percent(k.sla.resolution.rate), "sla_resolution_breached")}
        {kpi("complete", t("analytics.completeAtCreation"), percent(k.completeAtCreation.rate))}
        {kpi("frtBusiness", t("analytics.frtBusinessMean"), formatDuration(frt.business.mean, t))}
        {kpi("resBusiness", t("analytics.resolutionBusinessMean"), formatDuration(res.business.mean, t))}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t("analytics.trend")} extra={<ExportLinks table="daily" filters={filters} />}>
            <EChart
              testId="chart-trend"
              option={charts.trend}
              onClick={(p) => {
                const day = o.daily[p.dataIndex]?.day;
                const metric = p.seriesIndex === 1 ? "resolved" : p.seriesIndex === 2 ? "backlog" : "created";
                if (day) onDrill(metric, `${day} ${t(`analytics.${metric}`)}`, { from: day, to: day });
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t("analytics.byChannel")} extra={<ExportLinks table="channels" filters={filters} />}>
            <EChart
              testId="chart-channels"
              option={charts.channels}
              onClick={(p) => {
                const c = o.byChannel[p.dataIndex];
                if (c) onDrill("created", `${t(`channel.${c.channel}`)} ${t("analytics.created")}`, { channel: c.channel });
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("analytics.byCategory")} extra={<ExportLinks table="categories" filters={filters} />}>
            <EChart
              testId="chart-categories"
              option={charts.categories}
              onClick={(p) => {
                const c = o.byCategory[p.dataIndex];
                if (c)
                  onDrill("created", `${nameOf(categories.data, c.categoryId)} ${t("analytics.created")}`, { categoryId: c.categoryId });
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("analytics.heatmap")}>
            <EChart testId="chart-heatmap" option={charts.heatmap} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("analytics.timeInStatus")}>
            <EChart testId="chart-status-time" option={charts.statusTime} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("analytics.stages")}>
            {o.stages ? (
              <Table
                size="small"
                rowKey="departmentId"
                pagination={false}
                data-testid="stages"
                dataSource={o.stages}
                onRow={(r) => ({
                  onClick: () =>
                    onDrill("stage", `${t("analytics.stages")} · ${nameOf(departments.data, r.departmentId)}`, {
                      stageDepartmentId: r.departmentId,
                    }),
                })}
                columns={[
                  { title: t("analytics.department"), dataIndex: "departmentId", render: (id: number) => nameOf(departments.data, id) },
                  { title: t("analytics.stageTickets"), dataIndex: "tickets" },
                  { title: t("analytics.stageMean"), dataIndex: "meanSeconds", render: (v: number) => formatDuration(v, t) },
                ]}
              />
            ) : (
              <Typography.Text type="secondary" data-testid="stages-unsliced">
                {t(scoped ? "analytics.stagesScoped" : "analytics.stagesUnsliced")}
              </Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("analytics.byDepartment")} extra={<ExportLinks table="departments" filters={filters} />}>
            <CountsTable
              rows={o.byDepartment.map((r) => ({ id: r.departmentId, created: r.created, resolved: r.resolved }))}
              nameTitle={t("analytics.department")}
              nameOf={(id) => nameOf(departments.data, id)}
              onOpen={(id) => onDrill("created", nameOf(departments.data, id), { departmentId: id })}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("analytics.byTeam")}>
            <CountsTable
              testId="by-team"
              rows={o.byTeam.map((r) => ({ id: r.teamId, created: r.created, resolved: r.resolved }))}
              nameTitle={t("analytics.teamFilter")}
              nameOf={(id) => nameOf(teams.data, id)}
              onOpen={(id) => onDrill("created", nameOf(teams.data, id), { teamId: id })}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("analytics.completeByChannel")} extra={<ExportLinks table="channels" filters={filters} />}>
            <Table
              size="small"
              rowKey="channel"
              pagination={false}
              data-testid="complete-by-channel"
              dataSource={o.byChannel}
              onRow={(r) => ({
                onClick: () => onDrill("created", `${t(`channel.${r.channel}`)} ${t("analytics.created")}`, { channel: r.channel }),
              })}
              columns={[
                { title: t("analytics.channel"), dataIndex: "channel", render: (c: string) => t(`channel.${c}`) },
                {
                  title: t("analytics.completeChecked"),
                  key: "checked",
                  render: (_: unknown, r: (typeof o.byChannel)[number]) => `${r.completeAtCreation.count} / ${r.completeAtCreation.of}`,
                },
                {
                  title: t("analytics.completeAtCreation"),
                  key: "rate",
                  render: (_: unknown, r: (typeof o.byChannel)[number]) => percent(r.completeAtCreation.rate),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <div style={{ color: "#888", fontSize: 12 }}>
        {t(o.percentiles === "exact" ? "analytics.percentilesExact" : "analytics.percentilesHistogram", { zone: o.timeZone })}
      </div>
    </Space>
  );
}

/** A report table as CSV or Excel, for the same range and slices. */
export function ExportLinks({ table, filters }: { table: string; filters: Partial<ReportFilters> }) {
  const { t } = useTranslation();
  const q = reportParams({ ...filters, table });
  return (
    <Space size={4}>
      <Button size="small" type="link" href={`/api/v1/analytics/export?${q}&format=csv`} data-testid={`export-${table}-csv`}>
        CSV
      </Button>
      <Button size="small" type="link" href={`/api/v1/analytics/export?${q}&format=xlsx`} aria-label={t("tickets.exportXlsx")}>
        Excel
      </Button>
    </Space>
  );
}

function chartOptions(o: OverviewReport, t: (k: string, opts?: Record<string, unknown>) => string, categoryName: (id: number) => string) {
  const days = o.daily.map((d) => d.day.slice(5));
  const hours = Array.from({ length: 24 }, (_, h) => String(h));
  const weekdays = WEEKDAY_KEYS.map((k) => t(`analytics.weekdays.${k}`));
  const cells = o.heatmap.flatMap((row, dow) => row.map((n, h) => [h, dow, n]));
  const max = Math.max(1, ...o.heatmap.flat());
  const s = o.totals.timeInStatus;
  return {
    trend: {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [t("analytics.created"), t("analytics.resolved"), t("analytics.backlog")] },
      grid: { left: 40, right: 16, top: 36, bottom: 24 },
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: t("analytics.created"), type: "bar", data: o.daily.map((d) => d.created) },
        { name: t("analytics.resolved"), type: "bar", data: o.daily.map((d) => d.resolved) },
        { name: t("analytics.backlog"), type: "line", data: o.daily.map((d) => d.backlog) },
      ],
    },
    channels: {
      tooltip: { trigger: "item" },
      series: [
        { type: "pie", radius: ["40%", "70%"], data: o.byChannel.map((c) => ({ name: t(`channel.${c.channel}`), value: c.created })) },
      ],
    },
    categories: {
      tooltip: { trigger: "axis" },
      grid: { left: 100, right: 16, top: 8, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: o.byCategory.map((c) => categoryName(c.categoryId)), inverse: true },
      series: [{ type: "bar", data: o.byCategory.map((c) => c.created) }],
    },
    heatmap: {
      tooltip: { position: "top" },
      grid: { left: 48, right: 16, top: 8, bottom: 80 },
      xAxis: { type: "category", data: hours, splitArea: { show: true } },
      yAxis: { type: "category", data: weekdays, inverse: true },
      visualMap: { min: 0, max, calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, itemWidth: 12 },
      series: [{ type: "heatmap", data: cells }],
    },
    statusTime: {
      tooltip: { trigger: "axis", valueFormatter: (v: number) => `${v} h` },
      grid: { left: 80, right: 16, top: 8, bottom: 24 },
      xAxis: { type: "value", name: "h" },
      yAxis: { type: "category", data: (["new", "open", "pending", "on_hold"] as const).map((k) => t(`status.${k}`)) },
      series: [{ type: "bar", data: [s.new, s.open, s.pending, s.on_hold].map((v) => Math.round((v / 3600) * 10) / 10) }],
    },
  };
}

/** Created and solved per department or team; a row opens the tickets created there. */
function CountsTable(props: {
  rows: { id: number; created: number; resolved: number }[];
  nameTitle: string;
  nameOf: (id: number) => string;
  onOpen: (id: number) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      data-testid={props.testId}
      dataSource={props.rows}
      onRow={(r) => ({ onClick: () => props.onOpen(r.id) })}
      columns={[
        { title: props.nameTitle, dataIndex: "id", render: (id: number) => props.nameOf(id) },
        { title: t("analytics.created"), dataIndex: "created" },
        { title: t("analytics.resolved"), dataIndex: "resolved" },
      ]}
    />
  );
}
