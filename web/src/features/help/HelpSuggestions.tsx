import type { ArticleHit } from "@loopdesk/contracts/knowledge";
import { useQuery } from "@tanstack/react-query";
import { Alert, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";

const newVisitId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * One visit of a new-ticket form: which suggested article the customer opened. Submitting the
 * request after all tells the server, so only visits that ended without one count as 自助解决.
 */
export function useHelpVisit(source: "portal" | "widget") {
  const [visitId] = useState(newVisitId);
  const opened = useRef(false);
  return {
    opened: (articleId: number, query: string) => {
      opened.current = true;
      void api("/help/visits", { method: "POST", body: { visitId, source, articleId, query: query.slice(0, 200) } }).catch(() => undefined);
    },
    submitted: () => {
      if (opened.current) void api(`/help/visits/${visitId}/submitted`, { method: "POST" }).catch(() => undefined);
    },
  };
}

/** The help center's top articles for what the customer is typing (after a pause), each opening in a new tab. */
export function HelpSuggestions({ text, visit }: { text: string; visit: ReturnType<typeof useHelpVisit> }) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), 350);
    return () => clearTimeout(timer);
  }, [text]);
  const locale = i18n.language === "en" ? "en" : "zh-CN";
  const hits = useQuery({
    queryKey: ["help-search", query, locale],
    enabled: query.length >= 2,
    staleTime: 60_000,
    queryFn: async () =>
      (await api<{ items: ArticleHit[] }>(`/help/search?limit=3&suggest=true&locale=${locale}&q=${encodeURIComponent(query)}`)).items,
  });
  if (!hits.data?.length || query.length < 2) return null;
  return (
    <Alert
      type="info"
      data-testid="help-suggestions"
      style={{ marginBottom: 16 }}
      title={t("help.suggestionsTitle")}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }} className="kb-hit">
          {hits.data.map((h) => (
            <li key={h.id}>
              <a
                href={`${h.url}${h.url.includes("?") ? "&" : "?"}lang=${locale}`}
                target="_blank"
                rel="noreferrer"
                onClick={() => visit.opened(h.id, query)}
              >
                {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the server escapes the title and adds only <mark> */}
                <span dangerouslySetInnerHTML={{ __html: h.titleHtml }} />
              </a>
              <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
                {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the server escapes the excerpt and adds only <mark> */}
                <span dangerouslySetInnerHTML={{ __html: h.excerptHtml }} />
              </Typography.Paragraph>
            </li>
          ))}
        </ul>
      }
    />
  );
}
