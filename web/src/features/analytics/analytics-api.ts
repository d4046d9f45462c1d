import type { AgentStats, DrilldownFilters, OverviewReport, TeamStats } from "@loopdesk/contracts/analytics";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { api } from "../../api/client";

/** A report's days and slices; `stageDepartmentId` only narrows the tickets behind a stage time. */
export type ReportFilters = Omit<DrilldownFilters, "metric" | "agentId">;

/** Today's date in a time zone, YYYY-MM-DD (the workspace's, not the browser's: reports count days there). */
export const todayIn = (timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

/** The last n days up to today in the zone. */
export const lastDays = (n: number, timeZone: string): Pick<ReportFilters, "from" | "to"> => {
  const to = todayIn(timeZone);
  return {
    from: dayjs(to)
      .subtract(n - 1, "day")
      .format("YYYY-MM-DD"),
    to,
  };
};

export function reportParams(f: Partial<ReportFilters> & Record<string, string | number | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p.toString();
}

export const useOverview = (f: ReportFilters, enabled = true, refetchMs?: number) =>
  useQuery({
    queryKey: ["analytics", "overview", f],
    enabled,
    refetchInterval: refetchMs,
    queryFn: () => api<OverviewReport>(`/analytics/overview?${reportParams(f)}`),
  });

export const useAgentReport = (f: Pick<ReportFilters, "from" | "to"> & { teamId?: number }, enabled = true) =>
  useQuery({
    queryKey: ["analytics", "agents", f],
    enabled,
    queryFn: async () => (await api<{ items: AgentStats[] }>(`/analytics/agents?${reportParams(f)}`)).items,
  });

export const useTeamReport = (f: Pick<ReportFilters, "from" | "to">, enabled = true) =>
  useQuery({
    queryKey: ["analytics", "teams", f],
    enabled,
    queryFn: async () => (await api<{ items: TeamStats[] }>(`/analytics/teams?${reportParams(f)}`)).items,
  });

export const useMyReport = (f: Pick<ReportFilters, "from" | "to">) =>
  useQuery({
    queryKey: ["analytics", "me", f],
    queryFn: () => api<{ me: AgentStats; teams: TeamStats[] }>(`/analytics/me?${reportParams(f)}`),
  });

/** A duration in seconds the way people read it: 45 秒, 12 分钟, 3.5 小时, 2.1 天. */
export function formatDuration(seconds: number | null | undefined, t: (k: string, o?: Record<string, unknown>) => string) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return t("analytics.units.seconds", { n: Math.round(seconds) });
  if (seconds < 3600) return t("analytics.units.minutes", { n: Math.round(seconds / 60) });
  if (seconds < 86400) return t("analytics.units.hours", { n: Math.round((seconds / 3600) * 10) / 10 });
  return t("analytics.units.days", { n: Math.round((seconds / 86400) * 10) / 10 });
}

export const percent = (r: number | null | undefined) => (r === null || r === undefined ? "—" : `${Math.round(r * 1000) / 10}%`);
export const decimal = (v: number | null | undefined) => (v === null || v === undefined ? "—" : (Math.round(v * 100) / 100).toString());
