import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Layout, Space, Table, Tag } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import { useNavigate } from "react-router";
import { AppHeader } from "../../app/AppHeader";
import { rememberList, useShortcuts } from "../../app/shortcuts";
import { useSession } from "../auth/session";
import { BulkBar } from "./BulkBar";
import { useStaff } from "./ticket-api";
import { ExportButton } from "./ExportButton";
import { SavedViewActions } from "./SavedViewActions";
import { SlaDue } from "./SlaDue";
import { TicketFilterBar } from "./TicketFilterBar";
import { ViewMenu } from "./ViewMenu";
import { GoOnlinePrompt } from "../routing/GoOnlinePrompt";
import { priorityColor, statusColor } from "./ticket-labels";
import { type ListFilters, type ViewKey, filtersOf, sameFilters, toParams, useSavedViews } from "./ticket-views";

type SortKey = "created_at" | "updated_at" | "priority" | "sla_due";

/** The agent workspace's queue: views on the left, filters and a dense ticket table in the centre. */
export function TicketListPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const isStaff = user?.kind === "staff";
  const savedViews = useSavedViews(isStaff);
  // Agents start with their own queue; supervisors and admins with everything unsolved.
  const [view, setView] = useState<ViewKey>(user?.kind === "staff" && user.role === "agent" ? "mine" : "unsolved");
  const [filters, setFilters] = useState<ListFilters>(() => filtersOf(view));
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const currentSaved = savedViews.data?.find((v) => `view:${v.id}` === view);
  const dirty = !sameFilters(filters, filtersOf(view, savedViews.data));

  // A column the agent sorted by wins; SLA views otherwise put the most urgent due time first,
  // every other list the latest activity.
  const [sorted, setSorted] = useState<{ key: SortKey; desc: boolean } | null>(null);
  const sortParam = sorted ? `${sorted.desc ? "-" : ""}${sorted.key}` : filters.sla ? "sla_due" : "-updated_at";
  const orderOf = (key: SortKey) => (sortParam === key ? ("ascend" as const) : sortParam === `-${key}` ? ("descend" as const) : null);
  const staff = useStaff(isStaff);
  const staffNames = new Map((staff.data ?? []).map((s) => [s.id, s.name]));
  const params = toParams(filters);
  params.set("limit", "25");
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
            locale={{ emptyText: t("tickets.empty") }}
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
            columns={[
              {
                title: t("tickets.number"),
                dataIndex: "number",
                key: "created_at",
                width: 90,
                sorter: true,
                sortOrder: orderOf("created_at"),
                render: (n: number) => `#${n}`,
              },
              {
                title: t("tickets.subject"),
                dataIndex: "subject",
                ellipsis: true,
                className: "col-subject",
                render: (subject: string, r: Ticket) => (
                  <>
                    {r.missingFields.length > 0 && <Tag color="orange">{t("template.incomplete")}</Tag>}
                    {r.duplicateOfId !== null && <Tag color="gold">{t("duplicate.tag")}</Tag>}
                    {subject}
                  </>
                ),
              },
              {
                title: t("tickets.status"),
                dataIndex: "status",
                width: 110,
                render: (s: string) => <Tag color={statusColor[s]}>{t(`status.${s}`)}</Tag>,
              },
              {
                title: t("tickets.priority"),
                key: "priority",
                sorter: true,
                sortOrder: orderOf("priority"),
                dataIndex: "priority",
                width: 100,
                render: (p: string) => <Tag color={priorityColor[p]}>{t(`priority.${p}`)}</Tag>,
              },
              ...(isStaff
                ? [
                    {
                      title: t("ticket.assignee"),
                      dataIndex: "assigneeId",
                      width: 110,
                      className: "col-assignee",
                      render: (id: number | null) => (id ? (staffNames.get(id) ?? `#${id}`) : "—"),
                    },
                  ]
                : []),
              ...(isStaff
                ? [
                    {
                      title: t("tickets.sla"),
                      dataIndex: "slaDueAt",
                      key: "sla_due",
                      width: 130,
                      sorter: true,
                      sortOrder: orderOf("sla_due"),
                      render: (d: string | null) => <SlaDue dueAt={d} />,
                    },
                  ]
                : []),
              { title: t("tickets.channel"), dataIndex: "channel", width: 100, render: (c: string) => t(`channel.${c}`) },
              {
                title: t("tickets.updatedAt"),
                dataIndex: "updatedAt",
                key: "updated_at",
                width: 160,
                sorter: true,
                sortOrder: orderOf("updated_at"),
                render: (d: string) => dateFormat.format(new Date(d)),
              },
            ]}
          />
          <Space style={{ marginTop: 12 }}>
            <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              {t("tickets.previous")}
            </Button>
            <Button disabled={!data?.nextCursor} onClick={() => data?.nextCursor && setCursors([...cursors, data.nextCursor])}>
              {t("tickets.next")}
            </Button>
          </Space>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
