import type { ProcessInstance, ProcessTask } from "@loopdesk/contracts/processes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, List, Modal, Select, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Pending } from "../../app/Pending";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useSession } from "../auth/session";
import { EarlierSteps } from "./EarlierSteps";
import { ProcessMap } from "./ProcessMap";
import { TaskForm } from "./TaskForm";
import { useProcesses, useTicketProcesses } from "./process-api";
import { holderText, useHolderNames, waited } from "./task-labels";

const STATUS_COLOR: Record<string, string> = { running: "processing", completed: "success", rejected: "error", cancelled: "default" };
const STEP_COLOR: Record<string, string> = {
  active: "processing",
  done: "success",
  rejected: "error",
  waiting: "default",
  skipped: "default",
  cancelled: "default",
};

/**
 * The ticket's processes: where each stands (steps done, the current ones with who holds them and for
 * how long), its map, the steps the viewer can finish right here, and starting a process.
 */
export function ProcessCard({ ticketId, editable }: { ticketId: number; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const qc = useQueryClient();
  const instances = useTicketProcesses(ticketId);
  const definitions = useProcesses();
  const names = useHolderNames();
  const [mapOf, setMapOf] = useState<ProcessInstance | null>(null);
  const [working, setWorking] = useState<ProcessTask | null>(null);
  const [choice, setChoice] = useState<string | undefined>();
  const start = useMutation({
    mutationFn: (processKey: string) => api(`/tickets/${ticketId}/processes`, { method: "POST", body: { processKey } }),
    onSuccess: () => {
      setChoice(undefined);
      void message.success(t("process.started"));
    },
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["tasks"] });
      void qc.invalidateQueries({ queryKey: ["ticket", ticketId] });
    },
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const runnable = (definitions.data ?? []).filter((d) => d.active && d.currentVersion !== null);
  const running = new Set((instances.data ?? []).filter((i) => i.status === "running").map((i) => i.processKey));
  const me = user?.kind === "staff" ? user : null;
  const mayWork = (task: ProcessTask) =>
    task.status === "active" &&
    task.kind !== "customer" &&
    (me?.role === "admin" || task.assigneeId === me?.id || (task.assigneeId === null && (task.role === null || task.role === me?.role)));
  const holderOfTask = (instance: ProcessInstance) => (taskId: number) => {
    const task = instance.tasks.find((x) => x.id === taskId);
    return task ? holderText(t, task, names) : "";
  };
  return (
    <Card
      size="small"
      title={t("process.title")}
      style={{ marginTop: 16 }}
      data-testid="ticket-processes"
      extra={
        editable &&
        runnable.length > 0 && (
          <Space.Compact>
            <Select
              size="small"
              style={{ width: 150 }}
              placeholder={t("process.startPlaceholder")}
              value={choice}
              onChange={setChoice}
              aria-label={t("process.startPlaceholder")}
              options={runnable.map((d) => ({ value: d.key, label: d.name, disabled: running.has(d.key) }))}
            />
            <Button
              size="small"
              disabled={!choice}
              loading={start.isPending}
              onClick={() => choice && start.mutate(choice)}
              data-testid="process-start"
            >
              {t("process.start")}
            </Button>
          </Space.Compact>
        )
      }
    >
      {!instances.data && <Pending error={instances.error} retry={() => void instances.refetch()} rows={1} />}
      {instances.data?.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("process.noneOnTicket")} />}
      {(instances.data ?? []).map((instance) => (
        <div key={instance.id} style={{ marginBottom: 12 }} data-testid="process-instance">
          <Space style={{ justifyContent: "space-between", width: "100%" }}>
            <Typography.Text strong>
              {instance.processName} <Typography.Text type="secondary">v{instance.version}</Typography.Text>
            </Typography.Text>
            <Space size={4}>
              <Tag color={STATUS_COLOR[instance.status]}>{t(`process.instanceStatus.${instance.status}`)}</Tag>
              <Button size="small" type="link" onClick={() => setMapOf(instance)} data-testid="process-map-open">
                {t("process.map")}
              </Button>
            </Space>
          </Space>
          <List
            size="small"
            dataSource={instance.steps.filter((s) => ["task", "approval", "subprocess"].includes(s.type))}
            renderItem={(s) => {
              const active = instance.tasks.filter((x) => x.nodeId === s.nodeId && x.status === "active");
              return (
                <List.Item style={{ padding: "4px 0", display: "block" }}>
                  <Space size={4} wrap>
                    <Tag color={STEP_COLOR[s.state]}>{t(`process.stepState.${s.state}`)}</Tag>
                    <span>{s.name}</span>
                    {s.state === "active" && s.since && <Typography.Text type="secondary">· {waited(t, s.since)}</Typography.Text>}
                    {s.finishedAt && s.state !== "active" && (
                      <Typography.Text type="secondary">· {fmt.format(new Date(s.finishedAt))}</Typography.Text>
                    )}
                  </Space>
                  {active.map((task) => (
                    <div key={task.id} style={{ paddingLeft: 8, fontSize: 12 }}>
                      <Typography.Text type="secondary">{holderText(t, task, names)}</Typography.Text>
                      {task.overdue && (
                        <Tag color="red" style={{ marginLeft: 4 }}>
                          {t("process.overdueShort")}
                        </Tag>
                      )}
                      {mayWork(task) && (
                        <Button size="small" type="link" onClick={() => setWorking(task)} data-testid="process-task-open">
                          {t("process.handle")}
                        </Button>
                      )}
                    </div>
                  ))}
                </List.Item>
              );
            }}
          />
        </div>
      ))}
      <Modal open={mapOf !== null} onCancel={() => setMapOf(null)} footer={null} width={860} title={mapOf?.processName} destroyOnHidden>
        {mapOf && <ProcessMap instance={mapOf} holderOf={holderOfTask(mapOf)} />}
      </Modal>
      <Modal open={working !== null} onCancel={() => setWorking(null)} footer={null} title={working?.name} destroyOnHidden>
        {working && (
          <>
            <EarlierSteps task={working} />
            <TaskForm task={working} onDone={() => setWorking(null)} />
          </>
        )}
      </Modal>
    </Card>
  );
}
