import { Col, Result, Row, Statistic } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../auth/session";
import { decimal, formatDuration, lastDays, percent, useOverview } from "./analytics-api";
import { EChart } from "./EChart";

const REFRESH_MS = 30_000;

/** 大屏: today's numbers in large type on a dark screen, refreshed every 30 s, for a wall in the support room. */
export function WallboardPage() {
  const { t } = useTranslation();
  const { timeZone, user } = useSession();
  // The workspace's figures are for supervisors and admins (an agent's own are under 报表 → 我的).
  const lead = user?.kind === "staff" && user.role !== "agent";
  const [range, setRange] = useState(lastDays(1, timeZone));
  // Past midnight (in the workspace's zone) the board moves to the new day.
  useEffect(() => {
    const timer = setInterval(() => setRange((r) => (r.to === lastDays(1, timeZone).to ? r : lastDays(1, timeZone))), 60_000);
    return () => clearInterval(timer);
  }, [timeZone]);
  const today = useOverview(range, lead, REFRESH_MS);
  const week = useOverview(lastDays(7, timeZone), lead, REFRESH_MS);
  if (!lead)
    return (
      <Result
        status="403"
        title={t("analytics.wallboardLeadsOnly")}
        extra={<Link to="/analytics">{t("analytics.exitWallboard")}</Link>}
        data-testid="wallboard-leads-only"
      />
    );
  const k = today.data?.totals;
  const big = (key: string, title: string, value: string | number, warn = false) => (
    <Col xs={12} md={8} lg={4} key={key}>
      <div className="wallboard-tile" data-testid={`wall-${key}`}>
        <Statistic
          title={<span style={{ color: "#aaa", fontSize: 20 }}>{title}</span>}
          value={value}
          valueStyle={{ color: warn ? "#ff7875" : "#fff", fontSize: 56 }}
        />
      </div>
    </Col>
  );
  return (
    <div style={{ minHeight: "100vh", background: "#0b1220", color: "#fff", padding: 24 }} data-testid="wallboard">
      <div style={{ display: "flex", justifyContent: "space-between", marginBottom: 16 }}>
        <span style={{ fontSize: 28 }}>{t("analytics.wallboardTitle", { day: range.to })}</span>
        <Link to="/analytics" style={{ color: "#888" }}>
          {t("analytics.exitWallboard")}
        </Link>
      </div>
      {k && (
        <Row gutter={[16, 16]}>
          {big("created", t("analytics.created"), k.created)}
          {big("resolved", t("analytics.resolved"), k.resolved)}
          {big("backlog", t("analytics.backlog"), k.backlog)}
          {big("frt", t("analytics.frtMedian"), formatDuration(k.firstResponse.calendar.median, t))}
          {big("sla", t("analytics.slaFirstResponse"), percent(k.sla.firstResponse.rate), (k.sla.firstResponse.rate ?? 1) < 0.9)}
          {big("csat", t("analytics.csat"), decimal(k.csat.average), (k.csat.average ?? 5) < 4)}
        </Row>
      )}
      {week.data && (
        <div style={{ marginTop: 24 }}>
          <EChart
            dark
            height={320}
            testId="wall-trend"
            option={{
              backgroundColor: "transparent",
              tooltip: { trigger: "axis" },
              legend: { top: 0, data: [t("analytics.created"), t("analytics.resolved"), t("analytics.backlog")] },
              xAxis: { type: "category", data: week.data.daily.map((d) => d.day.slice(5)) },
              yAxis: { type: "value", minInterval: 1 },
              series: [
                { name: t("analytics.created"), type: "bar", data: week.data.daily.map((d) => d.created) },
                { name: t("analytics.resolved"), type: "bar", data: week.data.daily.map((d) => d.resolved) },
                { name: t("analytics.backlog"), type: "line", data: week.data.daily.map((d) => d.backlog) },
              ],
            }}
          />
        </div>
      )}
    </div>
  );
}
