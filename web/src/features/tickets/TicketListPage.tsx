import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Layout, Select, Space, Table, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import { useNavigate, useSearchParams } from "react-router";
import { AppHeader } from "../../app/AppHeader";
import { rememberList, useShortcuts } from "../../app/shortcuts";
import { useSession } from "../auth/session";
import { BulkBar } from "./BulkBar";
import { useNamed, usePreferences, useStaff } from "./ticket-api";
import { ExportButton } from "./ExportButton";
import { SavedViewActions } from "./SavedViewActions";
import { TicketFilterBar } from "./TicketFilterBar";
import { ViewMenu } from "./ViewMenu";
import { GoOnlinePrompt } from "../routing/GoOnlinePrompt";
import { ColumnChooser } from "./ColumnChooser";
import { DEFAULT_COLUMNS, type SortKey, queueColumns } from "./queue-columns";
import { type ListFilters, type ViewKey, builtInViews, filtersOf, sameFilters, toParams, useSavedViews } from "./ticket-views";

/** The agent workspace's queue: views on the left, filters and a dense ticket table in the centre. */
export function TicketListPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const isStaff = user?.kind === "staff";
  const savedViews = useSavedViews(isStaff);
  // Agents start with their own queue; supervisors and admins with everything unsolved.
  // A link (the top bar's search, a customer's open tickets) opens the list on all tickets with its filter.
  const [searchParams] = useSearchParams();
  const linked = useMemo(() => {
    const named = builtInViews.find((v) => v.key === searchParams.get("view"))?.key;
    if (named) return { view: named, filters: filtersOf(named) };
    const f: ListFilters = {};
    for (const key of ["q", "customer"] as const) {
      const v = searchParams.get(key);
      if (v) f[key] = v;
    }
    return Object.keys(f).length ? { view: "all" as const, filters: f } : null;
  }, [searchParams]);
  const [view, setView] = useState<ViewKey>(linked?.view ?? (user?.kind === "staff" && user.role === "agent" ? "mine" : "unsolved"));
  const [filters, setFilters] = useState<ListFilters>(() => linked?.filters ?? filtersOf(view));
  useEffect(() => {
    if (!linked) return;
    setView(linked.view);
    setFilters(linked.filters);
    setCursors([null]);
  }, [linked]);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const currentSaved = savedViews.data?.find((v) => `view:${v.id}` === view);
  const dirty = !sameFilters(filters, filtersOf(view, savedViews.data));

  // A column the agent sorted by wins; a search otherwise puts the best match first, SLA views the
  // most urgent due time, every other list the latest activity.
  const [sorted, setSorted] = useState<{ key: SortKey; desc: boolean } | null>(null);
  const sortParam = sorted ? `${sorted.desc ? "-" : ""}${sorted.key}` : filters.q ? "relevance" : filters.sla ? "sla_due" : "-updated_at";
  const orderOf = (key: SortKey) => (sortParam === key ? ("ascend" as const) : sortParam === `-${key}` ? ("descend" as const) : null);
  const staff = useStaff(isStaff);
  const staffNames = new Map((staff.data ?? []).map((s) => [s.id, s.name]));
  const { preferences, savePreferences } = usePreferences();
  const pageSize = preferences.pageSize ?? 25;
  const shownColumns = preferences.ticketColumns ?? DEFAULT_COLUMNS;
  const departments = useNamed("/departments");
  const params = toParams(filters);
  // The total of the same filters (capped, so a view never counts a whole archive). The string is
  // taken now: the list's own parameters are added to `params` below.
  const filtered = params.toString();
  const total = useQuery({
    queryKey: ["tickets", "count", filtered],
    queryFn: () => api<{ count: number; capped: boolean }>(`/tickets/count?${filtered}`),
  });
  params.set("limit", String(pageSize));
  params.set("sort", sortParam);
  if (cursor) params.set("cursor", cursor);
  const { data, error, isFetching } = useQuery({
    queryKey: ["tickets", params.toString()],
    queryFn: () => api<{ items: Ticket[]; nextCursor: string | null }>(`/tickets?${params}`),
  });

  const resetPaging = () => setCursors([null]);
  const changeFilters = (f: ListFilters) => {
    setFilters(f);
    resetPaging();
  };
  const openView = (v: ViewKey, saved = savedViews.data) => {
    setView(v);
    changeFilters(filtersOf(v, saved));
  };
  const [selected, setSelected] = useState(0);
  const [checked, setChecked] = useState<number[]>([]);
  const items = useMemo(() => data?.items ?? [], [data]);
  useEffect(() => {
    rememberList(items.map((x) => x.id));
    setSelected((s) => Math.min(s, Math.max(0, items.length - 1)));
  }, [items]);
  const shortcuts = useMemo(
    () => ({
      j: () => setSelected((s) => Math.min(s + 1, items.length - 1)),
      k: () => setSelected((s) => Math.max(s - 1, 0)),
      ["Enter"]: () => items[selected] && navigate(`/tickets/${items[selected].id}`),
      c: () => navigate("/tickets/new"),
    }),
    [items, selected, navigate],
  );
  useShortcuts(shortcuts);
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const columns = queueColumns({
    t,
    dateFormat,
    orderOf,
    staffName: (id) => staffNames.get(id) ?? "",
    departmentName: (id) => (id === null ? t("ticket.sharedInbox") : (departments.data?.find((d) => d.id === id)?.name ?? "")),
  });

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout hasSider>
        <Layout.Sider theme="light" width={220} breakpoint="lg" collapsedWidth={0} style={{ borderInlineEnd: "1px solid #f0f0f0" }}>
          <ViewMenu value={view} isStaff={isStaff} saved={savedViews.data ?? []} onChange={(v) => openView(v)} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 16, minWidth: 0 }}>
          {isStaff && <GoOnlinePrompt />}
          <TicketFilterBar filters={filters} onChange={changeFilters} isStaff={isStaff} />
          <Space wrap style={{ marginBottom: 12 }}>
            {user && (
              <Button type="primary" onClick={() => navigate("/tickets/new")}>
                {t("newTicket.title")}
              </Button>
            )}
            {isStaff && <ExportButton filters={filters} />}
            <ColumnChooser value={shownColumns} onChange={(ticketColumns) => savePreferences({ ticketColumns })} />
            {isStaff && (
              <SavedViewActions
                current={currentSaved}
                filters={filters}
                dirty={dirty}
                onSaved={(v) => {
                  setView(`view:${v.id}`);
                  setFilters({ ...v.filters });
                }}
                onDeleted={() => openView("unsolved")}
              />
            )}
          </Space>
          {isStaff && checked.length > 0 && (
            <BulkBar ids={checked} tagsOf={(id) => items.find((x) => x.id === id)?.tags ?? []} onDone={() => setChecked([])} />
          )}
          {error && (
            <Alert
              type="error"
              showIcon
              title={t(`errors.${error instanceof ApiError ? error.code : "internal_error"}`)}
              style={{ marginBottom: 12 }}
            />
          )}
          {sortParam === "relevance" && (data?.items.length ?? 0) > 0 && (
            <Typography.Text type="secondary" data-testid="ranked-hint" style={{ display: "block", marginBottom: 6, fontSize: 12 }}>
              {t("tickets.rankedHint")}
            </Typography.Text>
          )}
          <Table<Ticket>
            rowKey="id"
            size="small"
            sortDirections={["descend", "ascend"]}
            onChange={(_p, _f, sorter) => {
              const one = Array.isArray(sorter) ? sorter[0] : sorter;
              setSorted(one?.order ? { key: one.columnKey as SortKey, desc: one.order === "descend" } : null);
              resetPaging();
            }}
            loading={isFetching}
            dataSource={data?.items ?? []}
            pagination={false}
            scroll={{ x: 720 }}
            locale={{ emptyText: filters.q ? <SearchEmpty q={filters.q} /> : t("tickets.empty") }}
            rowSelection={
              isStaff ? { selectedRowKeys: checked, onChange: (keys) => setChecked(keys as number[]), columnWidth: 40 } : undefined
            }
            onRow={(record, index) => ({
              onClick: (e) => {
                // The selection checkbox selects; the rest of the row opens the ticket.
                if ((e.target as HTMLElement).closest(".ant-table-selection-column")) return;
                navigate(`/tickets/${record.id}`);
              },
              style: { cursor: "pointer", background: index === selected ? "#e6f4ff" : undefined },
              "data-selected": index === selected ? "true" : undefined,
            })}
            columns={shownColumns.map((c) => columns[c])}
          />
          <Space style={{ marginTop: 12 }} wrap>
            <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              {t("tickets.previous")}
            </Button>
            <Button disabled={!data?.nextCursor} onClick={() => data?.nextCursor && setCursors([...cursors, data.nextCursor])}>
              {t("tickets.next")}
            </Button>
            {total.data && (
              <Typography.Text type="secondary" data-testid="ticket-total">
                {t(total.data.capped ? "tickets.totalCapped" : "tickets.total", { count: total.data.count })}
              </Typography.Text>
            )}
            <Select
              size="small"
              data-testid="page-size"
              value={pageSize}
              onChange={(size) => {
                savePreferences({ pageSize: size });
                resetPaging();
              }}
              options={[25, 50, 100].map((size) => ({ value: size, label: t("tickets.pageSize", { size }) }))}
            />
          </Space>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** An empty search says what was searched and that it covers only the tickets the person may see. */
function SearchEmpty({ q }: { q: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="search-empty" style={{ padding: 16 }}>
      <Typography.Paragraph strong>{t("tickets.noMatch", { q })}</Typography.Paragraph>
      <Typography.Text type="secondary">{t("tickets.searchScope")}</Typography.Text>
    </div>
  );
}
