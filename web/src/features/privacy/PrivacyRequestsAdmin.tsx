import type { PrivacyRequest } from "@loopdesk/contracts/privacy";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Drawer, Input, InputNumber, Modal, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { NewPrivacyRequest } from "./NewPrivacyRequest";
import { PrivacyReportView } from "./PrivacyReportView";
import { RetentionRulesCard } from "./RetentionRulesCard";

const day = (iso: string) => dayjs(iso).format("YYYY-MM-DD");

function DeadlineTag({ r }: { r: PrivacyRequest }) {
  const { t } = useTranslation();
  if (r.workingDaysLeft === null) return <span>{day(r.dueAt)}</span>;
  const left = r.workingDaysLeft;
  const color = left < 0 ? "red" : left <= 3 ? "orange" : "green";
  const text =
    left < 0 ? t("privacy.overdue", { count: -left }) : left === 0 ? t("privacy.dueToday") : t("privacy.daysLeft", { count: left });
  return (
    <Space size={4}>
      <span>{day(r.dueAt)}</span>
      <Tag color={color} data-testid={`privacy-deadline-${r.id}`}>
        {text}
      </Tag>
    </Space>
  );
}

/** 个人信息请求: each request with its legal deadline, answered by an archive or a proven erasure; retention rules below. */
export function PrivacyRequestsAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<PrivacyRequest | null>(null);
  const [erasing, setErasing] = useState<PrivacyRequest | null>(null);
  const [confirmId, setConfirmId] = useState<number | null>(null);
  const [rejecting, setRejecting] = useState<PrivacyRequest | null>(null);
  const [reason, setReason] = useState("");
  const list = useQuery({ queryKey: ["privacy-requests"], queryFn: () => api<{ items: PrivacyRequest[] }>("/privacy-requests") });
  const done = (r: PrivacyRequest) => {
    void qc.invalidateQueries({ queryKey: ["privacy-requests"] });
    void qc.invalidateQueries({ queryKey: ["retention-rules"] });
    setShown(r);
  };
  const fail = (e: unknown) => void message.error(errorText(t, e));
  const exportIt = useMutation({
    mutationFn: (id: number) => api<PrivacyRequest>(`/privacy-requests/${id}/export`, { method: "POST" }),
    onSuccess: (r) => {
      void message.success(t("privacy.exported"));
      done(r);
    },
    onError: fail,
  });
  const erase = useMutation({
    mutationFn: ({ id, customerId }: { id: number; customerId: number }) =>
      api<PrivacyRequest>(`/privacy-requests/${id}/erase`, { method: "POST", body: { confirmCustomerId: customerId } }),
    onSuccess: (r) => {
      void message.success(t("privacy.erased"));
      setErasing(null);
      done(r);
    },
    onError: fail,
  });
  const reject = useMutation({
    mutationFn: ({ id, why }: { id: number; why: string }) =>
      api<PrivacyRequest>(`/privacy-requests/${id}/reject`, { method: "POST", body: { reason: why } }),
    onSuccess: (r) => {
      setRejecting(null);
      done(r);
    },
    onError: fail,
  });

  const actions = (r: PrivacyRequest) => (
    <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
      {r.status === "open" && r.kind === "access" && (
        <Button
          size="small"
          type="primary"
          loading={exportIt.isPending}
          onClick={() => exportIt.mutate(r.id)}
          data-testid={`privacy-export-${r.id}`}
        >
          {t("privacy.makeArchive")}
        </Button>
      )}
      {r.archive && (
        <Button size="small" href={`/api/v1/privacy-requests/${r.id}/archive`} data-testid={`privacy-download-${r.id}`}>
          {t("privacy.download")}
        </Button>
      )}
      {r.status === "open" && r.kind === "erasure" && (
        <Button
          size="small"
          danger
          type="primary"
          onClick={() => {
            setConfirmId(null);
            setErasing(r);
          }}
          data-testid={`privacy-erase-${r.id}`}
        >
          {t("privacy.erase")}
        </Button>
      )}
      {r.status === "open" && (
        <Button
          size="small"
          onClick={() => {
            setReason("");
            setRejecting(r);
          }}
        >
          {t("privacy.reject")}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <Card
        size="small"
        title={t("privacy.title")}
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="privacy-new">
            {t("privacy.new")}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t("privacy.help")}</Typography.Paragraph>
        <Table<PrivacyRequest>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t("privacy.empty") }}
          onRow={(r) => ({ onClick: () => setShown(r), style: { cursor: "pointer" } })}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t("privacy.kind"),
              width: 110,
              render: (_, r) => <Tag color={r.kind === "erasure" ? "volcano" : "blue"}>{t(`privacy.kinds.${r.kind}`)}</Tag>,
            },
            {
              title: t("privacy.customer"),
              render: (_, r) => (
                <span>
                  {r.customer.erased ? t("privacy.erasedCustomer") : r.customer.name}
                  <Typography.Text type="secondary"> · {t("privacy.customerNo", { id: r.customer.id })}</Typography.Text>
                </span>
              ),
            },
            { title: t("privacy.channel"), width: 90, render: (_, r) => t(`privacy.channels.${r.channel}`) },
            { title: t("privacy.received"), width: 110, render: (_, r) => day(r.receivedAt) },
            { title: t("privacy.due"), width: 200, render: (_, r) => <DeadlineTag r={r} /> },
            {
              title: t("privacy.status"),
              width: 90,
              render: (_, r) => (
                <Tag color={r.status === "open" ? "gold" : r.status === "done" ? "green" : "default"}>
                  {t(`privacy.statuses.${r.status}`)}
                </Tag>
              ),
            },
            { title: "", width: 220, render: (_, r) => actions(r) },
          ]}
        />
      </Card>
      <RetentionRulesCard />
      <NewPrivacyRequest
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => void qc.invalidateQueries({ queryKey: ["privacy-requests"] })}
      />
      <Drawer open={shown !== null} width={560} title={shown ? t(`privacy.kinds.${shown.kind}`) : ""} onClose={() => setShown(null)}>
        {shown && <PrivacyReportView request={shown} actions={actions(shown)} />}
      </Drawer>
      <Modal
        open={erasing !== null}
        title={t("privacy.eraseTitle")}
        okText={t("privacy.eraseConfirm")}
        okButtonProps={{ danger: true, disabled: confirmId !== erasing?.customer.id, id: "privacy-erase-ok" }}
        cancelText={t("common.cancel")}
        confirmLoading={erase.isPending}
        onOk={() => erasing && erase.mutate({ id: erasing.id, customerId: erasing.customer.id })}
        onCancel={() => setErasing(null)}
      >
        <Typography.Paragraph>{t("privacy.eraseHelp", { name: erasing?.customer.name ?? "" })}</Typography.Paragraph>
        <Typography.Paragraph strong>{t("privacy.eraseType", { id: erasing?.customer.id ?? "" })}</Typography.Paragraph>
        <InputNumber
          style={{ width: 200 }}
          aria-label={t("privacy.customerNoLabel")}
          value={confirmId}
          onChange={(v) => setConfirmId(typeof v === "number" ? v : null)}
          data-testid="privacy-erase-confirm"
        />
      </Modal>
      <Modal
        open={rejecting !== null}
        title={t("privacy.rejectTitle")}
        okText={t("privacy.reject")}
        okButtonProps={{ disabled: reason.trim() === "" }}
        cancelText={t("common.cancel")}
        confirmLoading={reject.isPending}
        onOk={() => rejecting && reject.mutate({ id: rejecting.id, why: reason })}
        onCancel={() => setRejecting(null)}
      >
        <Input.TextArea
          rows={3}
          aria-label={t("privacy.reason")}
          placeholder={t("privacy.reasonPlaceholder")}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
