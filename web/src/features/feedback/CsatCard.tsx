import type { TicketCsat } from "@loopdesk/contracts/feedback";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Card, Rate, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { RatingForm } from "./RatingForm";

/**
 * 满意度 on the ticket: the customer rates a solved ticket here; staff see the answer. `changed`
 * (the ticket's version or update time) refreshes it when the ticket changes.
 */
export function CsatCard({
  ticketId,
  solved,
  changed,
  isStaff,
}: {
  ticketId: number;
  solved: boolean;
  changed: string | number;
  isStaff: boolean;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ["csat", ticketId, changed];
  const csat = useQuery({ queryKey: key, queryFn: () => api<TicketCsat>(`/tickets/${ticketId}/csat`) });
  const rate = useMutation({
    mutationFn: (body: { rating: number; comment?: string }) => api(`/tickets/${ticketId}/csat`, { method: "POST", body }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["csat", ticketId] }),
  });
  const answer = csat.data?.answer;
  if (!answer && (isStaff ? !csat.data?.surveyed : !solved)) return null;
  return (
    <Card size="small" title={t("feedback.csat")} style={{ marginTop: 16 }} data-testid="csat-card">
      {answer ? (
        <>
          <Rate disabled value={answer.rating} />
          {answer.comment && <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>“{answer.comment}”</Typography.Paragraph>}
        </>
      ) : isStaff ? (
        <Typography.Text type="secondary">{t("feedback.awaiting")}</Typography.Text>
      ) : (
        <>
          {rate.error && <Alert type="error" title={errorText(t, rate.error)} style={{ marginBottom: 12 }} />}
          <RatingForm busy={rate.isPending} onSubmit={(v) => rate.mutate(v)} />
        </>
      )}
    </Card>
  );
}
