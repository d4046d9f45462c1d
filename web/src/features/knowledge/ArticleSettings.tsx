import type { Article, articleSettingsBody } from "@loopdesk/contracts/knowledge";
import { App, Button, Card, DatePicker, Form, Select, Space, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useStaff } from "../tickets/ticket-api";
import { useArticleMutation, useKbCategories } from "./knowledge-api";

type Settings = z.input<typeof articleSettingsBody>;

/** Category, visibility, tags, owner and review-by date of an article; its files; archive. */
export function ArticleSettings({ article }: { article: Article }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const categories = useKbCategories();
  const staff = useStaff(true);
  const change = useArticleMutation((s: Settings) => api<Article>(`/kb/articles/${article.id}`, { method: "PATCH", body: s }));
  const set = (s: Settings) =>
    change.mutate(s, { onSuccess: () => void message.success(t("common.saved")), onError: (e) => void message.error(errorText(t, e)) });
  const canPublish = article.permissions.publish;
  return (
    <Card title={t("knowledge.settings")} size="small" style={{ marginBottom: 16 }}>
      <Form layout="vertical" size="small">
        <Form.Item label={t("knowledge.category")}>
          <Select
            allowClear
            aria-label={t("knowledge.category")}
            value={article.categoryId ?? undefined}
            onChange={(v?: number) => set({ categoryId: v ?? null })}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item label={t("knowledge.visibility")} extra={canPublish ? undefined : t("knowledge.visibilityHint")}>
          <Select
            aria-label={t("knowledge.visibility")}
            disabled={!canPublish}
            value={article.visibility}
            onChange={(v: "internal" | "public") => set({ visibility: v })}
            options={(["internal", "public"] as const).map((v) => ({ value: v, label: t(`knowledge.visibilities.${v}`) }))}
          />
        </Form.Item>
        <Form.Item label={t("knowledge.tags")}>
          <Select
            mode="tags"
            aria-label={t("knowledge.tags")}
            value={article.tags}
            onChange={(tags: string[]) => set({ tags })}
            open={false}
          />
        </Form.Item>
        <Form.Item label={t("knowledge.owner")}>
          <Select
            showSearch
            optionFilterProp="label"
            aria-label={t("knowledge.owner")}
            value={article.owner?.id}
            onChange={(ownerId: number) => set({ ownerId })}
            options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item label={t("knowledge.reviewBy")} extra={t("knowledge.reviewByHint")}>
          <DatePicker
            aria-label={t("knowledge.reviewBy")}
            value={article.reviewBy ? dayjs(article.reviewBy) : null}
            onChange={(d) => set({ reviewBy: d ? d.format("YYYY-MM-DD") : null })}
            status={article.stale ? "error" : undefined}
          />
        </Form.Item>
      </Form>
      {article.files.length > 0 && (
        <>
          <Typography.Text strong>{t("knowledge.files")}</Typography.Text>
          <ul style={{ paddingLeft: 18 }}>
            {article.files.map((f) => (
              <li key={f.id}>
                <a href={f.url} target="_blank" rel="noreferrer">
                  {f.filename}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <Space>
        <Typography.Text type="secondary">
          {t("knowledge.feedbackCounts", { yes: article.helpful, no: article.notHelpful })}
        </Typography.Text>
        {canPublish && (
          <Button size="small" onClick={() => set({ archived: !article.archived })}>
            {article.archived ? t("knowledge.unarchive") : t("knowledge.archive")}
          </Button>
        )}
      </Space>
    </Card>
  );
}
