import type { FeedbackPage as Page } from "@loopdesk/contracts/feedback";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Divider, Input, Rate, Result, Skeleton, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { PublicCard } from "../../app/PublicCard";
import { RatingForm } from "./RatingForm";

/** Public, from the resolution mail's link: confirm and rate the resolution, or reopen the ticket. */
export function FeedbackPage() {
  const { t } = useTranslation();
  const { token = "" } = useParams();
  const qc = useQueryClient();
  const key = ["feedback", token];
  const page = useQuery({ queryKey: key, queryFn: () => api<Page>(`/public/feedback/${token}`), retry: false });
  const rate = useMutation({
    mutationFn: (body: { rating: number; comment?: string }) => api(`/public/feedback/${token}/rating`, { method: "POST", body }),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  const [reason, setReason] = useState("");
  const reopen = useMutation({
    mutationFn: () => api(`/public/feedback/${token}/reopen`, { method: "POST", body: { comment: reason } }),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  const p = page.data;
  return (
    <PublicCard title={t("feedback.title")} maxWidth={520}>
      {page.isLoading && <Skeleton active />}
      {page.error && <Alert type="error" title={errorText(t, page.error)} />}
      {p && (
        <div data-testid="feedback-page">
          <Typography.Title level={5}>
            #{p.ticketNumber} {p.subject}
          </Typography.Title>
          {p.resolution && (
            <div style={{ background: "#fafafa", padding: 12, borderRadius: 6, marginBottom: 16 }}>
              <Typography.Text type="secondary">{t("feedback.resolution")}</Typography.Text>
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{p.resolution}</Typography.Paragraph>
            </div>
          )}
          {p.answer ? (
            <Result status="success" title={t("feedback.thanks")} subTitle={<Rate disabled value={p.answer.rating} />} />
          ) : reopen.isSuccess ? (
            <Result status="info" title={t("feedback.reopened")} />
          ) : p.status === "solved" || p.status === "closed" ? (
            <>
              {rate.error && <Alert type="error" title={errorText(t, rate.error)} style={{ marginBottom: 12 }} />}
              <RatingForm busy={rate.isPending} onSubmit={(v) => rate.mutate(v)} />
              <Divider />
              <Typography.Text strong>{t("feedback.notSolved")}</Typography.Text>
              <Space direction="vertical" style={{ width: "100%", marginTop: 8 }}>
                <Input.TextArea
                  rows={2}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder={t("feedback.reopenHelp")}
                />
                {reopen.error && <Alert type="error" title={errorText(t, reopen.error)} />}
                <Button onClick={() => reopen.mutate()} disabled={!reason.trim()} loading={reopen.isPending}>
                  {t("feedback.reopen")}
                </Button>
              </Space>
            </>
          ) : (
            <Alert type="info" title={t("feedback.inProgress")} />
          )}
        </div>
      )}
    </PublicCard>
  );
}
