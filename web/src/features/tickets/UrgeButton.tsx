import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Badge, Button } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

/** One-click urge (一键催办): customers and colleagues push a ticket; repeats are refused with the wait time. */
export function UrgeButton({ ticketId, count, disabled, label }: { ticketId: number; count: number; disabled?: boolean; label?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const urge = useMutation({
    mutationFn: () => api<{ urgeCount: number }>(`/tickets/${ticketId}/urge`, { method: "POST", body: {} }),
    onSuccess: () => void message.success(t("urge.done")),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["ticket", ticketId] });
      void qc.invalidateQueries({ queryKey: ["portal", "ticket", ticketId] });
    },
  });
  return (
    <Badge count={count} size="small" offset={[-4, 4]} title={t("urge.count", { count })}>
      <Button size="small" danger onClick={() => urge.mutate()} loading={urge.isPending} disabled={disabled} data-testid="urge">
        {label ?? t("urge.button")}
      </Button>
    </Badge>
  );
}
