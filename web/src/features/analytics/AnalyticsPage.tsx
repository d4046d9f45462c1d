import { Button, Card, DatePicker, Layout, Segmented, Select, Space } from "antd";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { channels } from "@loopdesk/contracts/tickets";
import { api } from "../../api/client";
import { AppHeader } from "../../app/AppHeader";
import { useSession } from "../auth/session";
import { useNamed } from "../tickets/ticket-api";
import { AgentsTab, MyTab, TeamsTab } from "./AgentTables";
import { type ReportFilters, lastDays } from "./analytics-api";
import { type Drill, DrilldownDrawer } from "./DrilldownDrawer";
import { OverviewTab } from "./OverviewTab";
import { KnowledgeTab } from "./KnowledgeTab";
import { ProcessesTab } from "./ProcessesTab";

type Tab = "overview" | "agents" | "teams" | "processes" | "knowledge" | "me";

/** 复盘: the overview for supervisors, agents and teams compared, and each agent's own page. */
export function AnalyticsPage() {
  const { t } = useTranslation();
  const { user, timeZone } = useSession();
  const lead = user?.kind === "staff" && user.role !== "agent";
  const [tab, setTab] = useState<Tab>(lead ? "overview" : "me");
  const [filters, setFilters] = useState<ReportFilters>(lastDays(30, timeZone));
  const [drill, setDrill] = useState<Drill | null>(null);
  const categories = useNamed("/categories");
  const departments = useQuery({
    queryKey: ["departments"],
    staleTime: 60_000,
    queryFn: async () => (await api<{ items: { id: number; name: string; parentId: number | null }[] }>("/departments")).items,
  });
  // A supervisor reports on their departments and those below them; an administrator on all.
  const reportable = (departments.data ?? []).filter((d) => {
    if (user?.kind !== "staff" || user.role === "admin") return true;
    for (let at: number | null | undefined = d.id; at != null; at = departments.data?.find((x) => x.id === at)?.parentId)
      if (user.departmentIds.includes(at)) return true;
    return false;
  });
  const teams = useNamed("/teams");
  const open = (metric: string, title: string, narrower: Partial<ReportFilters> = {}, agentId?: number) =>
    setDrill({ metric, title, filters: { ...filters, ...narrower }, agentId });
  const set = (patch: Partial<ReportFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const tabs: Tab[] = lead ? ["overview", "agents", "teams", "processes", "knowledge", "me"] : ["me"];
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space wrap>
            <Segmented<Tab>
              value={tab}
              onChange={setTab}
              options={tabs.map((k) => ({ value: k, label: t(`analytics.tabs.${k}`) }))}
              data-testid="analytics-tabs"
            />
            <DatePicker.RangePicker
              allowClear={false}
              value={[dayjs(filters.from), dayjs(filters.to)]}
              onChange={(v) => v?.[0] && v[1] && set({ from: v[0].format("YYYY-MM-DD"), to: v[1].format("YYYY-MM-DD") })}
              presets={[7, 30, 90].map((n) => {
                const r = lastDays(n, timeZone);
                return { label: t("analytics.lastDays", { n }), value: [dayjs(r.from), dayjs(r.to)] };
              })}
              data-testid="analytics-range"
            />
            {tab === "overview" && (
              <>
                <SliceSelect
                  testId="analytics-department"
                  placeholder={t("analytics.department")}
                  width={150}
                  value={filters.departmentId}
                  onChange={(v) => set({ departmentId: v })}
                  options={reportable.map((d) => ({ value: d.id, label: d.name }))}
                />
                <SliceSelect
                  testId="analytics-team"
                  placeholder={t("analytics.teamFilter")}
                  width={150}
                  value={filters.teamId}
                  onChange={(v) => set({ teamId: v })}
                  options={(teams.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                />
                <SliceSelect
                  testId="analytics-channel"
                  placeholder={t("analytics.channel")}
                  width={130}
                  value={filters.channel}
                  onChange={(v) => set({ channel: v })}
                  options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
                />
                <SliceSelect
                  testId="analytics-category"
                  placeholder={t("analytics.category")}
                  width={150}
                  value={filters.categoryId}
                  onChange={(v) => set({ categoryId: v })}
                  options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                />
              </>
            )}
            {lead && (
              <Link to="/wallboard" data-testid="wallboard-link">
                <Button>{t("analytics.wallboard")}</Button>
              </Link>
            )}
          </Space>
        </Card>
        {tab === "overview" && <OverviewTab filters={filters} onDrill={open} />}
        {tab === "agents" && <AgentsTab filters={filters} onDrill={open} />}
        {tab === "teams" && <TeamsTab filters={filters} />}
        {tab === "processes" && <ProcessesTab filters={filters} />}
        {tab === "knowledge" && <KnowledgeTab filters={filters} />}
        {tab === "me" && user?.kind === "staff" && <MyTab filters={filters} onDrill={open} myId={user.id} />}
        <DrilldownDrawer drill={drill} onClose={() => setDrill(null)} />
      </Layout.Content>
    </Layout>
  );
}

/** One optional slice of the report (department, team, channel, category), searchable by name. */
function SliceSelect<V extends string | number>(props: {
  testId: string;
  placeholder: string;
  width: number;
  value: V | undefined;
  onChange: (v: V | undefined) => void;
  options: { value: V; label: string }[];
}) {
  return (
    <Select<V>
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={props.placeholder}
      style={{ width: props.width }}
      value={props.value}
      onChange={(v) => props.onChange(v)}
      options={props.options}
      data-testid={props.testId}
    />
  );
}
