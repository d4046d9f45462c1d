import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Input, Popover, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

/**
 * A colleague's nudge to whoever holds the ticket (催办处理人), with a note saying what is needed:
 * not the customer's one-click button. The holder and their supervisors are told.
 */
export function StaffUrgeButton({ ticketId, disabled }: { ticketId: number; disabled: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const urge = useMutation({
    mutationFn: () => api(`/tickets/${ticketId}/urge`, { method: "POST", body: note.trim() ? { note: note.trim() } : {} }),
    onSuccess: () => {
      void message.success(t("urge.staffDone"));
      setOpen(false);
      setNote("");
    },
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["ticket", ticketId] }),
  });
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      title={t("urge.staffTitle")}
      content={
        <Space direction="vertical" style={{ width: 280 }}>
          <Typography.Text type="secondary">{t("urge.staffHelp")}</Typography.Text>
          <Input.TextArea
            rows={2}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t("urge.notePlaceholder")}
            data-testid="urge-note"
          />
          <Button type="primary" size="small" loading={urge.isPending} onClick={() => urge.mutate()} data-testid="urge-send">
            {t("urge.send")}
          </Button>
        </Space>
      }
    >
      <Button size="small" disabled={disabled} data-testid="urge">
        {t("urge.staffButton")}
      </Button>
    </Popover>
  );
}
