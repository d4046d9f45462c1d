import type { Article, ArticleLocale } from "@loopdesk/contracts/knowledge";
import { Alert, App, Button, Card, Col, Input, Layout, Modal, Row, Space, Tabs, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { AppHeader } from "../../app/AppHeader";
import { errorText } from "../../app/error-text";
import { ArticleSettings } from "./ArticleSettings";
import { RichTextEditor } from "./RichTextEditor";
import { StatusTags } from "./StatusTags";
import { VersionHistory } from "./VersionHistory";
import { useArticle, useArticleMutation } from "./knowledge-api";

type Draft = { title: string; bodyHtml: string };

/** The text to edit in one language: the draft in progress, else the live text (a new draft starts from it), else nothing. */
const editable = (article: Article | undefined, locale: ArticleLocale): Draft => {
  const variant = article?.variants.find((v) => v.locale === locale);
  const v = variant?.working ?? variant?.live;
  return { title: v?.title ?? "", bodyHtml: v?.bodyHtml ?? "" };
};

/** One article: its text per language in the editor, its review steps, settings, files and versions. */
export function ArticlePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const isNew = params.id === "new";
  const id = isNew ? null : Number(params.id);
  const article = useArticle(id);
  const [locale, setLocale] = useState<ArticleLocale>("zh-CN");
  const [draft, setDraft] = useState<Draft>({ title: "", bodyHtml: "" });
  const [fileIds, setFileIds] = useState<number[]>([]);
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState("");
  // The editor follows the language tab and the article as saved.
  useEffect(() => setDraft(editable(article.data, locale)), [article.data, locale]);
  const failed = (e: unknown) => void message.error(errorText(t, e));

  const save = useArticleMutation((d: Draft) =>
    id === null
      ? api<Article>("/kb/articles", { method: "POST", body: { ...d, locale, fileIds } })
      : api<Article>(`/kb/articles/${id}/draft`, { method: "PUT", body: { ...d, locale, fileIds } }),
  );
  const review = useArticleMutation((v: { action: "submit" | "publish" | "reject" | "withdraw"; note?: string }) =>
    api<Article>(`/kb/articles/${id}/review`, { method: "POST", body: { locale, ...v } }),
  );
  const saveDraft = (then?: (a: Article) => void) =>
    save.mutate(draft, {
      onSuccess: (a) => {
        setFileIds([]);
        if (isNew) navigate(`/knowledge/${a.id}`, { replace: true });
        if (then) then(a);
        else void message.success(t("knowledge.saved"));
      },
      onError: failed,
    });
  const step = (action: "submit" | "publish" | "reject" | "withdraw", extra: { note?: string } = {}) =>
    review.mutate({ action, ...extra }, { onSuccess: () => void message.success(t(`knowledge.done.${action}`)), onError: failed });

  const a = article.data;
  const variant = a?.variants.find((v) => v.locale === locale);
  const working = variant?.working;
  const changed = JSON.stringify(draft) !== JSON.stringify(editable(a, locale)) || fileIds.length > 0;
  const canPublish = a?.permissions.publish ?? false;
  if (article.isError) return <Alert type="error" showIcon title={errorText(t, article.error)} style={{ margin: 24 }} />;
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Space style={{ marginBottom: 12 }} wrap>
          <Link to="/knowledge">← {t("knowledge.title")}</Link>
          {a && <StatusTags article={a} />}
          {a?.sourceTicket && (
            <Link to={`/tickets/${a.sourceTicket.id}`}>{t("knowledge.fromTicket", { number: a.sourceTicket.number })}</Link>
          )}
          {a?.visibility === "public" && variant?.live && (
            <a href={`/help/articles/${a.id}${locale === "en" ? "?lang=en" : ""}`} target="_blank" rel="noreferrer">
              {t("knowledge.viewInHelpCenter")}
            </a>
          )}
        </Space>
        <Row gutter={16}>
          <Col xs={24} lg={16}>
            <Card>
              <Tabs
                activeKey={locale}
                onChange={(k) => setLocale(k as ArticleLocale)}
                items={(["zh-CN", "en"] as const).map((l) => ({
                  key: l,
                  label: `${t(`knowledge.locales.${l}`)}${a && !a.locales.includes(l) ? ` (${t("knowledge.missing")})` : ""}`,
                }))}
              />
              {working?.reviewNote && working.status === "draft" && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={t("knowledge.sentBack", { name: working.reviewer?.name ?? "", note: working.reviewNote })}
                />
              )}
              {variant?.live && working && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={t("knowledge.draftOverLive", { live: variant.live.number, draft: working.number })}
                />
              )}
              <Input
                size="large"
                aria-label={t("knowledge.articleTitle")}
                placeholder={t("knowledge.articleTitle")}
                value={draft.title}
                onChange={(e) => setDraft({ ...draft, title: e.target.value })}
                style={{ marginBottom: 12 }}
              />
              <RichTextEditor
                label={t("knowledge.body")}
                value={draft.bodyHtml}
                onChange={(bodyHtml) => setDraft((d) => ({ ...d, bodyHtml }))}
                onUploaded={(fileId) => setFileIds((ids) => [...ids, fileId])}
              />
              <Space style={{ marginTop: 12 }} wrap>
                <Button
                  type={canPublish ? "default" : "primary"}
                  onClick={() => saveDraft()}
                  loading={save.isPending}
                  disabled={!draft.title.trim() || (!changed && !isNew)}
                >
                  {t("knowledge.saveDraft")}
                </Button>
                {a && working?.status !== "review" && !canPublish && (
                  <Button onClick={() => (changed ? saveDraft(() => step("submit")) : step("submit"))} disabled={!working && !changed}>
                    {t("knowledge.submit")}
                  </Button>
                )}
                {a && working?.status === "review" && <Button onClick={() => step("withdraw")}>{t("knowledge.withdraw")}</Button>}
                {a && canPublish && (working || changed) && (
                  <Button
                    type="primary"
                    onClick={() => (changed ? saveDraft(() => step("publish")) : step("publish"))}
                    data-testid="publish-article"
                  >
                    {t("knowledge.publish")}
                  </Button>
                )}
                {a && canPublish && working?.status === "review" && (
                  <Button danger onClick={() => setRejecting(true)}>
                    {t("knowledge.reject")}
                  </Button>
                )}
                {working && (
                  <Typography.Text type="secondary">
                    {t(`knowledge.workingState.${working.status}`, { number: working.number })}
                  </Typography.Text>
                )}
              </Space>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            {a && <ArticleSettings article={a} />}
            {a && <VersionHistory articleId={a.id} locale={locale} />}
          </Col>
        </Row>
        <Modal
          open={rejecting}
          title={t("knowledge.reject")}
          onCancel={() => setRejecting(false)}
          okButtonProps={{ disabled: !note.trim() }}
          onOk={() => {
            step("reject", { note });
            setRejecting(false);
            setNote("");
          }}
        >
          <Input.TextArea
            aria-label={t("knowledge.rejectNote")}
            placeholder={t("knowledge.rejectNote")}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </Modal>
      </Layout.Content>
    </Layout>
  );
}
