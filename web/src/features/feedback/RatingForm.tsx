import { Button, Form, Input, Rate, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/** 1–5 stars, or the three words customers know (满意 5 / 一般 3 / 不满意 1), and a comment. */
export function RatingForm({ onSubmit, busy }: { onSubmit: (v: { rating: number; comment?: string }) => void; busy: boolean }) {
  const { t } = useTranslation();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState("");
  return (
    <Form layout="vertical" data-testid="rating-form" onFinish={() => onSubmit({ rating, ...(comment.trim() ? { comment } : {}) })}>
      <Form.Item label={t("feedback.howWasIt")}>
        <Space wrap>
          <Rate
            value={rating}
            onChange={setRating}
            tooltips={[1, 2, 3, 4, 5].map((n) => t(`feedback.stars.${n}`))}
            aria-label={t("feedback.howWasIt")}
          />
          {([5, 3, 1] as const).map((n) => (
            <Button key={n} size="small" type={rating === n ? "primary" : "default"} onClick={() => setRating(n)}>
              {t(`feedback.words.${n}`)}
            </Button>
          ))}
        </Space>
      </Form.Item>
      <Form.Item label={t("feedback.comment")} htmlFor="csat-comment">
        <Input.TextArea id="csat-comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Form.Item>
      <Button type="primary" htmlType="submit" disabled={rating === 0} loading={busy}>
        {t("feedback.submit")}
      </Button>
    </Form>
  );
}
