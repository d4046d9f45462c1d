import type { ProcessTask } from "@loopdesk/contracts/processes";
import { App, Button, Card, Drawer, Layout, Segmented, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { AppHeader } from "../../app/AppHeader";
import { errorText } from "../../app/error-text";
import { useSession } from "../auth/session";
import { DueTag, holderText, useHolderNames, waited } from "./task-labels";
import { EarlierSteps } from "./EarlierSteps";
import { TaskForm } from "./TaskForm";
import { type TaskScope, useTaskActions, useTasks } from "./process-api";

type Filter = "mine" | "team" | "all" | "finished";

/**
 * 我的待办: the process steps waiting for me (mine and my pools'), most urgent first; my
 * departments' tasks for whoever oversees them; finished ones. A task opens its form in place.
 */
export function TasksPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const [filter, setFilter] = useState<Filter>("mine");
  const scope: TaskScope = filter === "finished" ? "team" : filter;
  const tasks = useTasks(scope, filter === "finished" ? "finished" : "active");
  const names = useHolderNames();
  const { claim } = useTaskActions();
  const [open, setOpen] = useState<ProcessTask | null>(null);
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const filters: Filter[] =
    user?.kind === "staff" && user.role === "admin" ? ["mine", "team", "all", "finished"] : ["mine", "team", "finished"];
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Card title={t("process.tasks")}>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={filters.map((f) => ({ value: f, label: t(`process.filters.${f}`) }))}
            style={{ marginBottom: 12 }}
          />
          <Table<ProcessTask>
            rowKey="id"
            size="small"
            data-testid="task-list"
            loading={tasks.isLoading}
            dataSource={tasks.data ?? []}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: t(filter === "mine" ? "process.noneMine" : "process.none") }}
            columns={[
              {
                title: t("tickets.number"),
                dataIndex: "ticketNumber",
                render: (n: number, task) => <Link to={`/tickets/${task.ticketId}`}>#{n}</Link>,
              },
              { title: t("tickets.subject"), dataIndex: "ticketSubject", ellipsis: true },
              {
                title: t("process.step"),
                dataIndex: "name",
                render: (name: string, task) => (
                  <Space size={4}>
                    <span>{name}</span>
                    {task.kind === "approval" && <Tag color="purple">{t("process.approval")}</Tag>}
                    {task.note === "owner_missing" && <Tag color="orange">{t("process.ownerMissing")}</Tag>}
                  </Space>
                ),
              },
              { title: t("process.process"), dataIndex: "processName" },
              { title: t("process.holder.title"), render: (_: unknown, task) => holderText(t, task, names) },
              {
                title: filter === "finished" ? t("process.finishedAt") : t("process.waiting"),
                render: (_: unknown, task) =>
                  filter === "finished"
                    ? task.completedAt && (
                        <Space size={4}>
                          <Tag>{t(`process.status.${task.status}`)}</Tag>
                          {fmt.format(new Date(task.completedAt))}
                        </Space>
                      )
                    : waited(t, task.startedAt),
              },
              { title: t("process.due"), render: (_: unknown, task) => <DueTag task={task} fmt={fmt} t={t} /> },
              {
                title: "",
                render: (_: unknown, task) =>
                  task.status === "active" && (
                    <Space>
                      {task.assigneeId === null && task.kind !== "customer" && (
                        <Button
                          size="small"
                          onClick={() =>
                            claim.mutate(task.id, {
                              onSuccess: () => void message.success(t("process.claimed")),
                              onError: (e) => void message.error(errorText(t, e)),
                            })
                          }
                        >
                          {t("process.claim")}
                        </Button>
                      )}
                      {task.kind !== "customer" && (
                        <Button size="small" type="primary" onClick={() => setOpen(task)} data-testid="task-open">
                          {t("process.handle")}
                        </Button>
                      )}
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
        <Drawer
          open={open !== null}
          onClose={() => setOpen(null)}
          size={520}
          destroyOnHidden
          title={
            open && (
              <span>
                {open.name}{" "}
                <Typography.Text type="secondary">
                  · #{open.ticketNumber} {open.ticketSubject}
                </Typography.Text>
              </span>
            )
          }
        >
          {open && (
            <>
              <Typography.Paragraph>
                <Link to={`/tickets/${open.ticketId}`}>{t("process.openTicket")}</Link>
              </Typography.Paragraph>
              <EarlierSteps task={open} />
              <TaskForm task={open} onDone={() => setOpen(null)} />
            </>
          )}
        </Drawer>
      </Layout.Content>
    </Layout>
  );
}
