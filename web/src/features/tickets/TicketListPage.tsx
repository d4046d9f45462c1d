import type { Ticket } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Input, Layout, Select, Space, Table, Tag } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import { useNavigate } from "react-router";
import { AppHeader } from "../../app/AppHeader";
import { rememberList, useShortcuts } from "../../app/shortcuts";
import { useSession } from "../auth/session";
import { BulkBar } from "./BulkBar";
import { useStaff } from "./ticket-api";
import { ViewMenu } from "./ViewMenu";
import { priorities, priorityColor, statusColor } from "./ticket-labels";
import { type ViewKey, viewParams, views } from "./ticket-views";

/** A first view of the queue; the full agent workspace is built on top of this. */
export function TicketListPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const isStaff = user?.kind === "staff";
  // Agents start with their own queue; supervisors and admins with everything unsolved.
  const [view, setView] = useState<ViewKey>(user?.kind === "staff" && user.role === "agent" ? "mine" : "unsolved");
  const [status, setStatus] = useState<string[]>(["new", "open", "pending", "on_hold"]);
  const [q, setQ] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];

  const [priority, setPriority] = useState<string[]>([]);
  const [category, setCategory] = useState<number | undefined>();
  const categories = useQuery({
    queryKey: ["categories"],
    enabled: isStaff,
    staleTime: 60_000,
    queryFn: async () => (await api<{ items: { id: number; name: string }[] }>("/categories")).items,
  });
  const [assignee, setAssignee] = useState<number | undefined>();
  const staff = useStaff(isStaff);
  const staffNames = new Map((staff.data ?? []).map((s) => [s.id, s.name]));
  const params = viewParams(view, status);
  // An explicit assignee narrows any view (except "mine" / "unassigned", which define their own).
  if (assignee && view !== "mine" && view !== "unassigned") params.set("assignee", String(assignee));
  if (priority.length) params.set("priority", priority.join(","));
  if (category) params.set("category", String(category));
  params.set("limit", "25");
  params.set("sort", "-updated_at");
  if (q) params.set("q", q);
  if (cursor) params.set("cursor", cursor);
  const { data, error, isFetching } = useQuery({
    queryKey: ["tickets", params.toString()],
    queryFn: () => api<{ items: Ticket[]; nextCursor: string | null }>(`/tickets?${params}`),
  });

  const resetPaging = () => setCursors([null]);
  /** A filter change: set the value and go back to the first page. */
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      resetPaging();
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
          <ViewMenu
            value={view}
            isStaff={isStaff}
            onChange={(v) => {
              setView(v);
              setStatus([...(views.find((x) => x.key === v)?.statuses ?? [])]);
              resetPaging();
            }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 16, minWidth: 0 }}>
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              mode="multiple"
              style={{ minWidth: 260 }}
              value={status}
              placeholder={t("tickets.filterStatus")}
              onChange={filter(setStatus)}
              options={["new", "open", "pending", "on_hold", "solved", "closed"].map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
            <Select
              mode="multiple"
              allowClear
              aria-label={t("tickets.filterPriority")}
              placeholder={t("tickets.filterPriority")}
              style={{ minWidth: 150 }}
              value={priority}
              onChange={filter(setPriority)}
              options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            />
            {isStaff && view !== "mine" && view !== "unassigned" && (
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                aria-label={t("tickets.filterAssignee")}
                placeholder={t("tickets.filterAssignee")}
                style={{ minWidth: 140 }}
                value={assignee}
                onChange={filter(setAssignee)}
                options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              />
            )}
            {isStaff && (
              <Select
                allowClear
                aria-label={t("tickets.filterCategory")}
                placeholder={t("tickets.filterCategory")}
                style={{ minWidth: 150 }}
                value={category}
                onChange={filter(setCategory)}
                options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            )}
            {user && (
              <Button type="primary" onClick={() => navigate("/tickets/new")}>
                {t("newTicket.title")}
              </Button>
            )}
            <Input.Search
              allowClear
              placeholder={t("tickets.search")}
              onSearch={filter((v: string) => setQ(v.trim()))}
              style={{ width: 260 }}
            />
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
              { title: t("tickets.number"), dataIndex: "number", width: 90, render: (n: number) => `#${n}` },
              { title: t("tickets.subject"), dataIndex: "subject", ellipsis: true, className: "col-subject" },
              {
                title: t("tickets.status"),
                dataIndex: "status",
                width: 110,
                render: (s: string) => <Tag color={statusColor[s]}>{t(`status.${s}`)}</Tag>,
              },
              {
                title: t("tickets.priority"),
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
              { title: t("tickets.channel"), dataIndex: "channel", width: 100, render: (c: string) => t(`channel.${c}`) },
              { title: t("tickets.updatedAt"), dataIndex: "updatedAt", width: 160, render: (d: string) => dateFormat.format(new Date(d)) },
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
