import type { AuditEntry, auditPage } from "@loopdesk/contracts/security";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { api } from "../../api/client";
import { AuditSettingsCard } from "./AuditSettingsCard";
import { auditActionLabel, auditActionOptions, changedFields } from "./audit-labels";

type Page = z.infer<typeof auditPage>;
type Filters = { q?: string; action?: string; outcome?: string; range?: [Dayjs, Dayjs] | null };

const show = (v: unknown) => (v === undefined || v === null ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** 审计日志: search who did what, see each change's before and after, export, and set retention and streaming. */
export function AuditLogAdmin() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.action) params.set("action", filters.action);
  if (filters.outcome) params.set("outcome", filters.outcome);
  if (filters.range) {
    params.set("from", filters.range[0].startOf("day").toISOString());
    params.set("to", filters.range[1].endOf("day").toISOString());
  }
  const query = params.toString();
  const pages = useInfiniteQuery({
    queryKey: ["audit-log", query],
    initialPageParam: "",
    getNextPageParam: (last: Page) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam }) => api<Page>(`/audit-log?${query}&limit=50${pageParam ? `&cursor=${pageParam}` : ""}`),
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Card
        size="small"
        title={t("audit.title")}
        extra={
          <Space>
            <Button href={`/api/v1/audit-log/export?${query}&format=csv`}>{t("audit.exportCsv")}</Button>
            <Button href={`/api/v1/audit-log/export?${query}&format=xlsx`}>{t("audit.exportXlsx")}</Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t("audit.help")}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            aria-label={t("audit.search")}
            placeholder={t("audit.search")}
            style={{ width: 280 }}
            onSearch={(q) => setFilters({ ...filters, q: q.trim() || undefined })}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t("audit.actionFilter")}
            placeholder={t("audit.actionFilter")}
            style={{ width: 220 }}
            value={filters.action}
            onChange={(action?: string) => setFilters({ ...filters, action })}
            options={auditActionOptions(t, i18n)}
          />
          <Select
            allowClear
            aria-label={t("audit.outcomeFilter")}
            placeholder={t("audit.outcomeFilter")}
            style={{ width: 120 }}
            value={filters.outcome}
            onChange={(outcome?: string) => setFilters({ ...filters, outcome })}
            options={(["ok", "failed"] as const).map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))}
          />
          <DatePicker.RangePicker
            value={filters.range ?? null}
            onChange={(range) => setFilters({ ...filters, range: range as [Dayjs, Dayjs] | null })}
          />
        </Space>
        <Table<AuditEntry>
          rowKey="id"
          size="small"
          data-testid="audit-table"
          dataSource={items}
          loading={pages.isLoading}
          pagination={false}
          locale={{ emptyText: t("audit.empty") }}
          scroll={{ x: 900 }}
          expandable={{
            rowExpandable: (e) => e.before !== null || e.after !== null || e.detail !== null,
            expandedRowRender: (e) => <AuditChange entry={e} />,
          }}
          columns={[
            { title: t("audit.when"), width: 160, render: (_, e) => dayjs(e.at).format("YYYY-MM-DD HH:mm:ss") },
            {
              title: t("audit.actor"),
              width: 170,
              render: (_, e) => (
                <Space size={4}>
                  <span>{e.actor.name ?? t(`audit.actorTypes.${e.actor.type}`)}</span>
                  {e.actor.type !== "staff" && <Tag>{t(`audit.actorTypes.${e.actor.type}`)}</Tag>}
                </Space>
              ),
            },
            { title: t("audit.action"), width: 200, render: (_, e) => auditActionLabel(t, i18n, e.action) },
            { title: t("audit.target"), render: (_, e) => e.target.name ?? (e.target.id ? `#${e.target.id}` : "—") },
            { title: t("audit.ip"), width: 130, render: (_, e) => e.ip ?? "—" },
            {
              title: t("audit.outcome"),
              width: 90,
              render: (_, e) => <Tag color={e.outcome === "ok" ? "green" : "red"}>{t(`audit.outcomes.${e.outcome}`)}</Tag>,
            },
          ]}
        />
        {pages.hasNextPage && (
          <Button style={{ marginTop: 12 }} loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
            {t("audit.loadMore")}
          </Button>
        )}
      </Card>
      <AuditSettingsCard />
    </>
  );
}

/** The fields a change touched, before and after; what was sent or asked for when there is no row. */
function AuditChange({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changes = changedFields(entry.before, entry.after);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {entry.before !== null || entry.after !== null ? (
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={changes}
          locale={{ emptyText: t("audit.noChanges") }}
          columns={[
            { title: t("audit.field"), dataIndex: "field", width: 200, render: (f: string) => <Typography.Text code>{f}</Typography.Text> },
            {
              title: t("audit.before"),
              render: (_, c) => <Typography.Text delete={c.before !== undefined}>{show(c.before)}</Typography.Text>,
            },
            { title: t("audit.after"), render: (_, c) => <Typography.Text mark>{show(c.after)}</Typography.Text> },
          ]}
        />
      ) : null}
      {entry.detail !== null && (
        <Typography.Text type="secondary">
          {t("audit.detail")}: <Typography.Text code>{JSON.stringify(entry.detail)}</Typography.Text>
        </Typography.Text>
      )}
    </Space>
  );
}
