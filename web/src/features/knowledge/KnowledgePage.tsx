import type { ArticleSummary } from "@loopdesk/contracts/knowledge";
import { Button, Card, Input, Layout, Segmented, Select, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { AppHeader } from "../../app/AppHeader";
import { useArticles, useKbCategories } from "./knowledge-api";
import { StatusTags } from "./StatusTags";

type Filter = "all" | "draft" | "review" | "published" | "stale" | "archived" | "mine";

/** 知识库: every article with its state, owner, review-by date and how it is used; filters and search. */
export function KnowledgePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Filter>("all");
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [q, setQ] = useState("");
  const categories = useKbCategories();
  const articles = useArticles({
    status: filter === "all" || filter === "mine" ? undefined : filter,
    mine: filter === "mine" ? "true" : undefined,
    categoryId: categoryId ? String(categoryId) : undefined,
    q: q.trim() || undefined,
  });
  const categoryName = (id: number | null) => categories.data?.find((c) => c.id === id)?.name ?? "—";
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Card
          title={t("knowledge.title")}
          extra={
            <Space>
              <a href="/help" target="_blank" rel="noreferrer">
                {t("knowledge.openHelpCenter")}
              </a>
              <Button type="primary" onClick={() => navigate("/knowledge/new")} data-testid="new-article">
                {t("knowledge.newArticle")}
              </Button>
            </Space>
          }
        >
          <Space wrap style={{ marginBottom: 12 }}>
            <Segmented<Filter>
              value={filter}
              onChange={setFilter}
              options={(["all", "draft", "review", "published", "stale", "archived", "mine"] as const).map((f) => ({
                value: f,
                label: t(`knowledge.filters.${f}`),
              }))}
            />
            <Select
              allowClear
              aria-label={t("knowledge.category")}
              placeholder={t("knowledge.category")}
              style={{ minWidth: 160 }}
              value={categoryId}
              onChange={setCategoryId}
              options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
            <Input.Search
              allowClear
              placeholder={t("knowledge.searchPlaceholder")}
              aria-label={t("knowledge.search")}
              onSearch={setQ}
              style={{ width: 260 }}
            />
          </Space>
          <Table<ArticleSummary>
            rowKey="id"
            size="middle"
            loading={articles.isLoading}
            dataSource={articles.data ?? []}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: t("knowledge.empty") }}
            scroll={{ x: 900 }}
            columns={[
              {
                title: t("knowledge.articleTitle"),
                render: (_, a) => (
                  <Space direction="vertical" size={0}>
                    <Link to={`/knowledge/${a.id}`}>{a.title}</Link>
                    {a.tags.length > 0 && (
                      <span>
                        {a.tags.map((tag) => (
                          <Tag key={tag} bordered={false}>
                            {tag}
                          </Tag>
                        ))}
                      </span>
                    )}
                  </Space>
                ),
              },
              { title: t("knowledge.category"), width: 120, render: (_, a) => categoryName(a.categoryId) },
              {
                title: t("knowledge.visibility"),
                width: 90,
                render: (_, a) => (
                  <Tag color={a.visibility === "public" ? "green" : "default"}>{t(`knowledge.visibilities.${a.visibility}`)}</Tag>
                ),
              },
              { title: t("knowledge.state"), width: 170, render: (_, a) => <StatusTags article={a} /> },
              { title: t("knowledge.owner"), width: 100, render: (_, a) => a.owner?.name ?? "—" },
              {
                title: t("knowledge.reviewBy"),
                width: 110,
                render: (_, a) =>
                  a.reviewBy ? <Typography.Text type={a.stale ? "danger" : undefined}>{a.reviewBy}</Typography.Text> : "—",
              },
              {
                title: t("knowledge.feedback"),
                width: 110,
                render: (_, a) => t("knowledge.feedbackCounts", { yes: a.helpful, no: a.notHelpful }),
              },
              { title: t("knowledge.uses"), width: 90, dataIndex: "uses" },
              { title: t("knowledge.updatedAt"), width: 140, render: (_, a) => dayjs(a.updatedAt).format("YYYY-MM-DD HH:mm") },
            ]}
          />
        </Card>
      </Layout.Content>
    </Layout>
  );
}
