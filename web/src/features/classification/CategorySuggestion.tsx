import type { CategorySuggestion as Suggestion } from "@loopdesk/contracts/classification";
import { useQuery } from "@tanstack/react-query";
import { Button, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";

/**
 * Under the ticket's category: what 智能分类 said when the ticket arrived — filed it (with its
 * confidence), or, when it was not sure and nobody has chosen a category yet, a suggestion to take.
 */
export function CategorySuggestion({
  ticketId,
  categoryId,
  nameOf,
  onTake,
  editable,
}: {
  ticketId: number;
  categoryId: number | null;
  nameOf: (id: number) => string | undefined;
  onTake: (categoryId: number) => void;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ["category-suggestion", ticketId],
    queryFn: async () => (await api<{ suggestion: Suggestion | null }>(`/tickets/${ticketId}/category-suggestion`)).suggestion,
  });
  const s = q.data;
  if (!s) return null;
  const name = nameOf(s.categoryId);
  if (!name) return null;
  const confidence = Math.round(s.confidence * 100);
  if (s.applied && categoryId === s.categoryId)
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="category-classified">
        {t("classification.filedBy", { confidence })}
      </Typography.Text>
    );
  if (categoryId !== null) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="category-suggestion">
      {t("classification.suggests", { name, confidence })}
      {editable && (
        <Button type="link" size="small" onClick={() => onTake(s.categoryId)}>
          {t("classification.take")}
        </Button>
      )}
    </Typography.Text>
  );
}
