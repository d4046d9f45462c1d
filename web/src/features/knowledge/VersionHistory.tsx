import type { ArticleDiff, ArticleLocale, ArticleVersion } from "@loopdesk/contracts/knowledge";
import { useQuery } from "@tanstack/react-query";
import { Button, Card, List, Modal, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";

/** The versions of one language, newest first; any two compared word by word. */
export function VersionHistory({ articleId, locale }: { articleId: number; locale: ArticleLocale }) {
  const { t } = useTranslation();
  const [compare, setCompare] = useState<[number, number] | null>(null);
  const versions = useQuery({
    queryKey: ["kb-versions", articleId, locale],
    queryFn: async () => (await api<{ items: ArticleVersion[] }>(`/kb/articles/${articleId}/versions?locale=${locale}`)).items,
    retry: false,
  });
  const diff = useQuery({
    queryKey: ["kb-diff", articleId, compare],
    enabled: compare !== null,
    queryFn: () => api<ArticleDiff>(`/kb/articles/${articleId}/diff?from=${compare?.[0]}&to=${compare?.[1]}`),
  });
  const items = versions.data ?? [];
  return (
    <Card title={t("knowledge.versions")} size="small">
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: t("knowledge.noVersions") }}
        renderItem={(v, i) => {
          const previous = items[i + 1];
          return (
            <List.Item
              actions={
                previous
                  ? [
                      <Button key="diff" size="small" type="link" onClick={() => setCompare([previous.id, v.id])}>
                        {t("knowledge.compare", { number: previous.number })}
                      </Button>,
                    ]
                  : []
              }
            >
              <span>
                v{v.number} <Tag>{t(`knowledge.states.${v.status}`)}</Tag>
                <Typography.Text type="secondary">
                  {v.author?.name ?? "—"} · {dayjs(v.publishedAt ?? v.updatedAt).format("YYYY-MM-DD HH:mm")}
                </Typography.Text>
              </span>
            </List.Item>
          );
        }}
      />
      <Modal
        open={compare !== null}
        onCancel={() => setCompare(null)}
        footer={null}
        width={760}
        title={diff.data ? t("knowledge.diffTitle", { from: diff.data.from.number, to: diff.data.to.number }) : ""}
      >
        {diff.data && (
          <div data-testid="article-diff" style={{ whiteSpace: "pre-wrap", lineHeight: 1.8 }}>
            <Typography.Title level={5}>
              {diff.data.title.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed text
                <span key={i} className={p.kind === "same" ? undefined : `diff-${p.kind}`}>
                  {p.text}
                </span>
              ))}
            </Typography.Title>
            {diff.data.body.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed text
              <span key={i} className={p.kind === "same" ? undefined : `diff-${p.kind}`}>
                {p.text}
              </span>
            ))}
          </div>
        )}
      </Modal>
    </Card>
  );
}
