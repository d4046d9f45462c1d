import type { AiReplyDraft, Article } from "@loopdesk/contracts/knowledge";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { insertIntoReply } from "../tickets/composer-insert";

/**
 * AI 助手 on the ticket page (only when an admin turned it on): a summary, a reply drafted from the
 * knowledge base with the articles it cites (put into the reply to edit), an article from a solved
 * ticket. A failure shows its message here; the rest of the page never waits on it.
 */
export function AiAssistCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = useQuery({ queryKey: ["ai-status"], staleTime: 60_000, queryFn: () => api<{ enabled: boolean }>("/ai/status") });
  const summary = useMutation({ mutationFn: () => api<{ text: string }>(`/tickets/${ticket.id}/ai/summary`, { method: "POST" }) });
  const reply = useMutation({
    mutationFn: () => api<AiReplyDraft>(`/tickets/${ticket.id}/ai/reply-draft`, { method: "POST" }),
    // The customer reads no [n] markers: a public article it cites goes below as a link.
    onSuccess: (d) => {
      const links = d.citations.filter((c) => c.url.startsWith("/help/")).map((c) => `${c.title}：${window.location.origin}${c.url}`);
      insertIntoReply([d.text.replace(/\s*\[\d+\]/g, ""), ...links].join("\n"));
    },
  });
  const article = useMutation({
    mutationFn: () => api<Article>(`/tickets/${ticket.id}/ai/article-draft`, { method: "POST" }),
    onSuccess: (a) => navigate(`/knowledge/${a.id}`),
  });
  if (!status.data?.enabled) return null;
  const solved = ticket.status === "solved" || ticket.status === "closed";
  const failed = [summary, reply, article].find((m) => m.isError);
  return (
    <Card size="small" title={t("ai.title")} style={{ marginTop: 16 }} data-testid="ai-card">
      <Space wrap>
        <Button size="small" onClick={() => summary.mutate()} loading={summary.isPending}>
          {t("ai.summarize")}
        </Button>
        {ticket.access !== "participant" && ticket.status !== "closed" && (
          <Button size="small" onClick={() => reply.mutate()} loading={reply.isPending}>
            {t("ai.draftReply")}
          </Button>
        )}
        {solved && (
          <Button size="small" onClick={() => article.mutate()} loading={article.isPending}>
            {t("ai.draftArticle")}
          </Button>
        )}
      </Space>
      {failed && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={errorText(t, failed.error)} />}
      {summary.data && (
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginTop: 8 }} data-testid="ai-summary">
          {summary.data.text}
        </Typography.Paragraph>
      )}
      {reply.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t("ai.inserted")}
          {reply.data.citations.length > 0 && (
            <>
              {" "}
              {t("ai.cites")}{" "}
              {reply.data.citations.map((c, i) => (
                <Link key={c.id} to={`/knowledge/${c.id}`} style={{ marginRight: 8 }}>
                  [{i + 1}] {c.title}
                </Link>
              ))}
            </>
          )}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
