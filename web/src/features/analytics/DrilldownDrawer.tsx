import type { drilldownPage } from "@loopdesk/contracts/analytics";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Drawer, Space, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { z } from "zod";
import { api } from "../../api/client";
import { type ReportFilters, formatDuration, reportParams } from "./analytics-api";

export type Drill = { metric: string; title: string; filters: ReportFilters; agentId?: number };
type Page = z.infer<typeof drilldownPage>;

/** The tickets behind a number, with their response and resolution times, and the list as a file. */
export function DrilldownDrawer({ drill, onClose }: { drill: Drill | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const params = drill ? reportParams({ ...drill.filters, metric: drill.metric, agentId: drill.agentId }) : "";
  const pages = useInfiniteQuery({
    queryKey: ["analytics", "drill", params],
    enabled: drill !== null,
    initialPageParam: "",
    getNextPageParam: (last: Page) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) => api<Page>(`/analytics/tickets?${params}&limit=50${pageParam ? `&cursor=${pageParam}` : ""}`),
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  return (
    <Drawer
      open={drill !== null}
      onClose={onClose}
      width={760}
      title={drill ? t("analytics.drillTitle", { title: drill.title, count: pages.data?.pages[0]?.total ?? 0 }) : ""}
      extra={
        <Space>
          <Button href={`/api/v1/analytics/tickets/export?${params}&format=csv`} data-testid="drill-export-csv">
            {t("tickets.exportCsv")}
          </Button>
          <Button href={`/api/v1/analytics/tickets/export?${params}&format=xlsx`}>{t("tickets.exportXlsx")}</Button>
        </Space>
      }
    >
      <Table
        rowKey="id"
        size="small"
        data-testid="drill-list"
        loading={pages.isLoading}
        dataSource={items}
        pagination={false}
        columns={[
          { title: t("tickets.number"), dataIndex: "number", render: (n: number, r) => <Link to={`/tickets/${r.id}`}>#{n}</Link> },
          { title: t("tickets.subject"), dataIndex: "subject" },
          { title: t("tickets.status"), dataIndex: "status", render: (s: string) => <Tag>{t(`status.${s}`)}</Tag> },
          { title: t("analytics.firstResponse"), dataIndex: "firstResponseSeconds", render: (s: number | null) => formatDuration(s, t) },
          { title: t("analytics.resolution"), dataIndex: "resolutionSeconds", render: (s: number | null) => formatDuration(s, t) },
          { title: t("analytics.created"), dataIndex: "createdAt", render: (v: string) => fmt.format(new Date(v)) },
        ]}
      />
      {pages.hasNextPage && (
        <Button block onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} style={{ marginTop: 8 }}>
          {t("analytics.more")}
        </Button>
      )}
    </Drawer>
  );
}
