import type { ArticleSummary } from "@loopdesk/contracts/knowledge";
import { Space, Tag } from "antd";
import { useTranslation } from "react-i18next";

const colors = { draft: "default", review: "orange", published: "green", superseded: "default" } as const;

/** An article's state: live or not, a draft or review in progress beside it, stale, archived. */
export function StatusTags({ article }: { article: Pick<ArticleSummary, "status" | "pending" | "stale" | "archived"> }) {
  const { t } = useTranslation();
  return (
    <Space size={2} wrap>
      {article.archived ? (
        <Tag>{t("knowledge.states.archived")}</Tag>
      ) : (
        <Tag color={colors[article.status]}>{t(`knowledge.states.${article.status}`)}</Tag>
      )}
      {article.status === "published" && article.pending && (
        <Tag color={colors[article.pending]}>{t(`knowledge.pending.${article.pending}`)}</Tag>
      )}
      {article.stale && <Tag color="red">{t("knowledge.states.stale")}</Tag>}
    </Space>
  );
}
