import type { Ticket } from "@loopdesk/contracts/tickets";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Space } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

/**
 * 疑似重复: this request repeats another open ticket of the customer (it is not routed on its
 * own) — merge it there with one click, or clear the flag. 已合并: where the request went.
 */
export function DuplicateBanner({ ticket, isStaff }: { ticket: Ticket; isStaff: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const otherId = ticket.mergedIntoId ?? ticket.duplicateOfId;
  const other = useQuery({
    queryKey: ["ticket", otherId],
    enabled: otherId !== null,
    queryFn: () => api<Ticket>(`/tickets/${otherId}`),
  });
  const merge = useMutation({
    mutationFn: () => api<Ticket>(`/tickets/${ticket.id}/merge`, { method: "POST", body: { ticketId: ticket.duplicateOfId } }),
    onSuccess: (kept) => {
      void message.success(t("duplicate.mergedDone", { number: kept.number }));
      void qc.invalidateQueries();
      navigate(`/tickets/${kept.id}`);
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const clear = useMutation({
    mutationFn: () => api<Ticket>(`/tickets/${ticket.id}/not-duplicate`, { method: "POST" }),
    onSuccess: () => void qc.invalidateQueries(),
    onError: (e) => void message.error(errorText(t, e)),
  });
  if (otherId === null) return null;
  const link = <Link to={`/tickets/${otherId}`}>{other.data ? `#${other.data.number} ${other.data.subject}` : `#${otherId}`}</Link>;
  if (ticket.mergedIntoId !== null)
    return (
      <Alert
        type="info"
        showIcon
        data-testid="merged-banner"
        style={{ marginBottom: 12 }}
        title={
          <span>
            {t("duplicate.mergedInto")} {link}
          </span>
        }
      />
    );
  if (!isStaff) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="duplicate-banner"
      style={{ marginBottom: 12 }}
      title={
        <span>
          {t("duplicate.suspected")} {link}
        </span>
      }
      description={t("duplicate.help")}
      action={
        <Space direction="vertical">
          <Button size="small" type="primary" loading={merge.isPending} onClick={() => merge.mutate()}>
            {t("duplicate.merge")}
          </Button>
          <Button size="small" loading={clear.isPending} onClick={() => clear.mutate()}>
            {t("duplicate.notDuplicate")}
          </Button>
        </Space>
      }
    />
  );
}
