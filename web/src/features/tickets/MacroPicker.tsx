import type { MacroPreview } from "@loopdesk/contracts/workspace";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Descriptions, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useCannedReplies } from "./CannedReplyPicker";
import { useNamed, useStaff } from "./ticket-api";

/** Picks a macro (a canned reply that also changes the ticket), shows what it will do here, and applies it in one step. */
export function MacroPicker({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const macros = (useCannedReplies().data ?? []).filter((r) => Object.keys(r.actions).length > 0);
  const staff = useStaff(true);
  const categories = useNamed("/categories");
  const [chosen, setChosen] = useState<{ id: number; title: string; preview: MacroPreview } | null>(null);
  const run = (id: number, preview: boolean) =>
    api<MacroPreview>(`/tickets/${ticketId}/macros/${id}`, { method: "POST", body: { preview } });
  const previewing = useMutation({
    mutationFn: (id: number) => run(id, true),
    onSuccess: (preview, id) => setChosen({ id, title: macros.find((m) => m.id === id)?.title ?? "", preview }),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const applying = useMutation({
    mutationFn: (id: number) => run(id, false),
    onSuccess: () => {
      setChosen(null);
      void message.success(t("macro.applied"));
      void qc.invalidateQueries({ queryKey: ["ticket", ticketId] });
      void qc.invalidateQueries({ queryKey: ["tickets"] });
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  if (macros.length === 0) return null;
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) return t("ticket.none");
    if (field === "status") return t(`status.${v}`);
    if (field === "priority") return t(`priority.${v}`);
    if (field === "assigneeId") return staff.data?.find((s) => s.id === v)?.name ?? t("ticket.none");
    if (field === "categoryId") return categories.data?.find((c) => c.id === v)?.name ?? t("ticket.none");
    if (Array.isArray(v)) return v.join(t("common.listSep"));
    if (typeof v === "object")
      return Object.values(v as object)
        .map(String)
        .join(t("common.listSep"));
    return String(v);
  };
  return (
    <>
      <Select
        value={null}
        aria-label={t("macro.apply")}
        placeholder={t("macro.apply")}
        style={{ minWidth: 160 }}
        loading={previewing.isPending}
        onChange={(id: number) => previewing.mutate(id)}
        options={macros.map((m) => ({ value: m.id, label: m.title }))}
        data-testid="macro-picker"
      />
      <Modal
        open={chosen !== null}
        title={t("macro.previewTitle", { title: chosen?.title ?? "" })}
        okText={t("macro.confirm")}
        confirmLoading={applying.isPending}
        onOk={() => chosen && applying.mutate(chosen.id)}
        onCancel={() => setChosen(null)}
      >
        {chosen?.preview.reply && (
          <>
            <Typography.Text type="secondary">{chosen.preview.internal ? t("macro.willNote") : t("macro.willReply")}</Typography.Text>
            <Typography.Paragraph
              style={{ whiteSpace: "pre-wrap", background: "#fafafa", padding: 8, borderRadius: 6 }}
              data-testid="macro-reply"
            >
              {chosen.preview.reply}
            </Typography.Paragraph>
          </>
        )}
        {chosen && chosen.preview.changes.length > 0 ? (
          <Descriptions size="small" column={1} bordered data-testid="macro-changes">
            {chosen.preview.changes.map((c) => (
              <Descriptions.Item key={c.field} label={t(`field.${c.field}`)}>
                {show(c.field, c.before)} → {show(c.field, c.after)}
              </Descriptions.Item>
            ))}
          </Descriptions>
        ) : (
          <Typography.Text type="secondary">{t("macro.noChanges")}</Typography.Text>
        )}
      </Modal>
    </>
  );
}
