import type { CategoryGuess as Guess } from "@loopdesk/contracts/classification";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";

/**
 * Under the new-ticket form's category, while the agent writes down a call: the category 智能分类
 * would choose for the text so far (after a pause), with 采用 — taking it shows that category's
 * template fields, so she can ask the caller for them before the ticket exists.
 */
export function CategoryGuess({
  subject,
  description,
  nameOf,
  onTake,
}: {
  subject: string;
  description: string;
  nameOf: (id: number) => string | undefined;
  onTake: (categoryId: number) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState({ subject: "", description: "" });
  useEffect(() => {
    const timer = setTimeout(() => setText({ subject: subject.trim(), description: description.trim() }), 400);
    return () => clearTimeout(timer);
  }, [subject, description]);
  const guess = useQuery({
    queryKey: ["category-guess", text],
    enabled: text.subject.length + text.description.length >= 4,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    queryFn: async () => (await api<Guess>("/classification/suggest", { method: "POST", body: text })).suggestion,
  });
  const s = guess.data;
  const name = s ? nameOf(s.categoryId) : undefined;
  if (!s || !name) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="category-guess">
      {t("classification.suggests", { name, confidence: Math.round(s.confidence * 100) })}
      <Button type="link" size="small" onClick={() => onTake(s.categoryId)}>
        {t("classification.take")}
      </Button>
    </Typography.Text>
  );
}
