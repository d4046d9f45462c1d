import type { TransferOutcome } from "@loopdesk/contracts/routing";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Form, Input, Modal, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useNamed, useStaff } from "../tickets/ticket-api";

type Target = { departmentId?: number; teamId?: number; assigneeId?: number; reason?: string };
type TeamItem = { id: number; name: string; departmentId: number; memberIds?: number[] };

/** The request the dialog sends: only what the agent picked. */
const bodyOf = (v: Target) => ({
  ...(v.departmentId ? { departmentId: v.departmentId } : {}),
  ...(v.teamId ? { teamId: v.teamId } : {}),
  ...(v.assigneeId ? { assigneeId: v.assigneeId } : {}),
  reason: v.reason?.trim() ?? "",
});

/**
 * 转派: one action for moving a ticket to another department, team or person. Before the agent
 * confirms, it says who will own the ticket (the named person, the team's automatic assignment
 * with how many can take it now, or the department's queue); the reason is required unless the
 * workspace switched that off. After it, the page says where the ticket went.
 */
export function TransferDialog({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Target>();
  const values = Form.useWatch([], form) ?? {};
  const departments = useNamed("/departments", open);
  const teams = useQuery({
    queryKey: ["teams"],
    enabled: open,
    staleTime: 60_000,
    queryFn: async () => (await api<{ items: TeamItem[] }>("/teams")).items,
  });
  const staff = useStaff(open);
  const picked = bodyOf(values);
  const anything = picked.departmentId || picked.teamId || picked.assigneeId;
  const preview = useQuery({
    queryKey: ["transfer-preview", ticket.id, picked.departmentId, picked.teamId, picked.assigneeId],
    enabled: open && !!anything,
    retry: false,
    queryFn: () => api<TransferOutcome>(`/tickets/${ticket.id}/transfer/preview`, { method: "POST", body: { ...picked, reason: "" } }),
  });
  const transfer = useMutation({
    mutationFn: (body: ReturnType<typeof bodyOf>) => api<Ticket>(`/tickets/${ticket.id}/transfer`, { method: "POST", body }),
    onSuccess: (moved) => {
      const who = moved.assigneeId !== null ? nameOf(moved.assigneeId) : teamName(moved.teamId) || departmentName(moved.departmentId);
      void message.success(t("transfer.done", { owner: who }));
      form.resetFields();
      onClose();
    },
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["ticket", ticket.id] });
      void qc.invalidateQueries({ queryKey: ["tickets"] });
      void qc.invalidateQueries({ queryKey: ["routing"] });
    },
  });

  const nameOf = (id: number | null) => (id === null ? "" : (staff.data?.find((s) => s.id === id)?.name ?? ""));
  const teamName = (id: number | null) => (id === null ? "" : (teams.data?.find((x) => x.id === id)?.name ?? ""));
  const departmentName = (id: number | null) =>
    id === null ? t("ticket.sharedInbox") : (departments.data?.find((d) => d.id === id)?.name ?? "");
  const teamOptions = (teams.data ?? []).filter((x) => !values.departmentId || x.departmentId === values.departmentId);
  const team = teams.data?.find((x) => x.id === values.teamId);
  const people = (staff.data ?? []).filter(
    (s) => s.active && (!values.departmentId || s.departmentIds.includes(values.departmentId)) && (!team || s.teamIds.includes(team.id)),
  );
  const p = preview.data;
  const reasonRequired = p?.reasonRequired ?? true;

  return (
    <Modal
      open={open}
      title={t("transfer.title", { number: ticket.number })}
      okText={t("transfer.confirm")}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: !anything || preview.isError, id: "transfer-confirm" }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={transfer.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="transfer"
        onFinish={(v) => transfer.mutate(bodyOf(v))}
        onValuesChange={(changed: Target) => {
          // A narrower choice that no longer fits the wider one is cleared.
          if ("departmentId" in changed) form.setFieldsValue({ teamId: undefined, assigneeId: undefined });
          if ("teamId" in changed) form.setFieldsValue({ assigneeId: undefined });
        }}
      >
        <Space wrap style={{ width: "100%" }}>
          <Form.Item name="departmentId" label={t("ticket.department")}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 160 }}
              data-testid="transfer-department"
              options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
          <Form.Item name="teamId" label={t("routing.team")}>
            <Select
              allowClear
              style={{ width: 160 }}
              data-testid="transfer-team"
              options={teamOptions.map((x) => ({ value: x.id, label: x.name }))}
            />
          </Form.Item>
          <Form.Item name="assigneeId" label={t("transfer.person")}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 160 }}
              data-testid="transfer-person"
              options={people.map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
        </Space>
        <Alert
          type={preview.isError ? "error" : "info"}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="transfer-preview"
          title={
            !anything
              ? t("transfer.pick")
              : preview.isError
                ? errorText(t, preview.error)
                : p
                  ? p.owner === "person"
                    ? t("transfer.toPerson", { name: nameOf(p.assigneeId), department: departmentName(p.departmentId) })
                    : p.owner === "team"
                      ? t("transfer.toTeam", {
                          team: teamName(p.teamId),
                          strategy: p.strategy ? t(`routing.strategies.${p.strategy}`) : "",
                          count: p.availableAgents,
                        })
                      : t("transfer.toQueue", { department: departmentName(p.departmentId) })
                  : t("common.loading")
          }
          description={anything && p && p.owner !== "person" ? t("transfer.assigneeRule") : undefined}
        />
        <Form.Item
          name="reason"
          label={t("routing.reason")}
          rules={reasonRequired ? [{ required: true, whitespace: true, message: t("transfer.reasonRequired") }] : []}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="transfer-reason" placeholder={t("transfer.reasonPlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
