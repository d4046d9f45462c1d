import type { Article, Recommendations } from "@loopdesk/contracts/knowledge";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { LikeFilled, LikeOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Collapse, Empty, Space, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { insertIntoReply } from "../tickets/composer-insert";

type Use = { articleId?: number; ticketId?: number; kind: "inserted" | "helpful" | "not_helpful" };

/**
 * On the ticket page: the articles and the similar solved tickets (with how they were resolved) for
 * this ticket's text. One click puts an answer or a link into the reply; agents mark what helped.
 * A solved ticket becomes a draft article in one action.
 */
export function KnowledgeCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const key = ["recommendations", ticket.id];
  const recs = useQuery({ queryKey: key, queryFn: () => api<Recommendations>(`/tickets/${ticket.id}/recommendations`), retry: false });
  const use = useMutation({
    mutationFn: (u: Use) => api(`/tickets/${ticket.id}/recommendations/uses`, { method: "POST", body: u }),
    onSuccess: (_, u) => {
      if (u.kind !== "inserted") void qc.invalidateQueries({ queryKey: key });
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const draft = useMutation({
    mutationFn: () => api<Article>(`/tickets/${ticket.id}/article`, { method: "POST" }),
    onSuccess: (a) => navigate(`/knowledge/${a.id}`),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const insert = (text: string, u: Use) => {
    insertIntoReply(text);
    use.mutate(u);
  };
  const helpful = (marked: boolean, u: Omit<Use, "kind">) => (
    <Tooltip title={t(marked ? "knowledge.recs.markedHelpful" : "knowledge.recs.markHelpful")}>
      <Button
        size="small"
        type="text"
        aria-label={t("knowledge.recs.markHelpful")}
        icon={marked ? <LikeFilled style={{ color: "#1f6feb" }} /> : <LikeOutlined />}
        onClick={() => use.mutate({ ...u, kind: marked ? "not_helpful" : "helpful" })}
      />
    </Tooltip>
  );
  const data = recs.data;
  const solved = ticket.status === "solved" || ticket.status === "closed";
  const empty = data && data.articles.length === 0 && data.tickets.length === 0;
  return (
    <Card
      size="small"
      title={t("knowledge.recs.title")}
      style={{ marginTop: 16 }}
      data-testid="knowledge-card"
      loading={recs.isLoading}
      extra={
        solved && ticket.access !== "participant" ? (
          <Button size="small" onClick={() => draft.mutate()} loading={draft.isPending} data-testid="article-from-ticket">
            {t("knowledge.recs.writeArticle")}
          </Button>
        ) : undefined
      }
    >
      {recs.isError && <Typography.Text type="secondary">{errorText(t, recs.error)}</Typography.Text>}
      {empty && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("knowledge.recs.none")} />}
      {data && data.articles.length > 0 && (
        <>
          <Typography.Text strong>{t("knowledge.recs.articles")}</Typography.Text>
          <Collapse
            size="small"
            ghost
            items={data.articles.map((a) => ({
              key: `a${a.id}`,
              label: (
                <span className="kb-hit" data-testid="recommended-article">
                  {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the server escapes the title and adds only <mark> */}
                  <span dangerouslySetInnerHTML={{ __html: a.titleHtml }} />
                  {a.helpfulMarks > 0 && (
                    <Typography.Text type="secondary"> · {t("knowledge.recs.helpfulMarks", { count: a.helpfulMarks })}</Typography.Text>
                  )}
                </span>
              ),
              children: (
                <>
                  <Typography.Paragraph
                    ellipsis={{ rows: 6, expandable: true, symbol: t("knowledge.recs.more") }}
                    style={{ whiteSpace: "pre-wrap" }}
                  >
                    {a.answerText}
                  </Typography.Paragraph>
                  <Space wrap size={4}>
                    <Button size="small" type="primary" onClick={() => insert(a.answerText, { articleId: a.id, kind: "inserted" })}>
                      {t("knowledge.recs.insertAnswer")}
                    </Button>
                    {a.visibility === "public" && (
                      <Button
                        size="small"
                        onClick={() => insert(`${a.title}：${window.location.origin}${a.url}`, { articleId: a.id, kind: "inserted" })}
                      >
                        {t("knowledge.recs.insertLink")}
                      </Button>
                    )}
                    <Link to={`/knowledge/${a.id}`}>{t("knowledge.recs.open")}</Link>
                    {helpful(a.markedHelpful, { articleId: a.id })}
                  </Space>
                </>
              ),
            }))}
          />
        </>
      )}
      {data && data.tickets.length > 0 && (
        <>
          <Typography.Text strong>{t("knowledge.recs.tickets")}</Typography.Text>
          <Collapse
            size="small"
            ghost
            items={data.tickets.map((s) => ({
              key: `t${s.id}`,
              label: (
                <span data-testid="similar-ticket">
                  #{s.number} {s.subject}{" "}
                  <Typography.Text type="secondary">
                    {t("knowledge.recs.similarity", { percent: Math.round(s.similarity * 100) })}
                  </Typography.Text>
                </span>
              ),
              children: (
                <>
                  <Typography.Text type="secondary">{t("knowledge.recs.resolution")}</Typography.Text>
                  <Typography.Paragraph
                    ellipsis={{ rows: 5, expandable: true, symbol: t("knowledge.recs.more") }}
                    style={{ whiteSpace: "pre-wrap" }}
                  >
                    {s.resolution || t("knowledge.recs.noResolution")}
                  </Typography.Paragraph>
                  <Space wrap size={4}>
                    {s.resolution && (
                      <Button size="small" onClick={() => insert(s.resolution, { ticketId: s.id, kind: "inserted" })}>
                        {t("knowledge.recs.insertResolution")}
                      </Button>
                    )}
                    <Link to={`/tickets/${s.id}`}>{t("knowledge.recs.openTicket")}</Link>
                    {helpful(s.markedHelpful, { ticketId: s.id })}
                  </Space>
                </>
              ),
            }))}
          />
        </>
      )}
    </Card>
  );
}
