import type { SearchSuggestions } from "@loopdesk/contracts/tickets";
import { useQuery } from "@tanstack/react-query";
import { AutoComplete, Input, Tag } from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { statusColor } from "./ticket-labels";

/** Waits for a pause in typing before asking the server. */
function useSettled(value: string, ms = 250) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The top bar's search, from anywhere: as you type it offers matching tickets and the customers
 * the text names (name, phone, email) with how many of their tickets you may see; Enter lists
 * every match.
 */
export function GlobalSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const q = useSettled(text.trim());
  const suggestions = useQuery({
    queryKey: ["search", q],
    enabled: q.length > 0,
    staleTime: 10_000,
    queryFn: () => api<SearchSuggestions>(`/search?q=${encodeURIComponent(q)}`),
  });
  const s = suggestions.data;
  // One group per kind of result; a kind with nothing found is left out.
  const group = (label: string, options: { value: string; label: ReactNode }[]) => (options.length ? [{ label, options }] : []);
  const options = s
    ? [
        ...group(
          t("search.tickets"),
          s.tickets.map((x) => ({
            value: `ticket:${x.id}`,
            label: (
              <span data-testid="search-ticket">
                #{x.number} {x.subject} · <Tag color={statusColor[x.status]}>{t(`status.${x.status}`)}</Tag>
              </span>
            ),
          })),
        ),
        ...group(
          t("search.customers"),
          s.customers.map((c) => ({
            value: `customer:${c.id}`,
            label: (
              <span data-testid="search-customer">
                {c.name} · {t(`tier.${c.tier}`)} · {t("search.visibleTickets", { count: c.visibleTickets })}
              </span>
            ),
          })),
        ),
      ]
    : [];
  const listAll = (value: string) => {
    if (!value.trim()) return;
    navigate(`/?q=${encodeURIComponent(value.trim())}`);
  };
  return (
    <AutoComplete
      value={text}
      options={options}
      onChange={setText}
      onSelect={(value: string) => {
        setText("");
        const [kind, id] = value.split(":");
        navigate(kind === "ticket" ? `/tickets/${id}` : `/?customer=${id}`);
      }}
      notFoundContent={q && s && !options.length ? t("search.nothing") : undefined}
      style={{ width: 260, maxWidth: "100%" }}
      popupMatchSelectWidth={360}
    >
      <Input.Search
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        data-testid="global-search"
        allowClear
        onSearch={listAll}
      />
    </AutoComplete>
  );
}
