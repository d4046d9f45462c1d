import type { SavedView } from "@loopdesk/contracts/workspace";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

const UNSOLVED = ["new", "open", "pending", "on_hold"];

/**
 * What the ticket list is filtered by, as the list endpoint's query parameters (strings), so a
 * saved view stores exactly what the page sends.
 */
export type ListFilters = Partial<
  Record<
    "status" | "priority" | "assignee" | "department" | "customer" | "category" | "tag" | "sla" | "createdFrom" | "createdTo" | "q",
    string
  >
>;

/** Built-in queue views: each is a set of list filters. */
export const builtInViews = [
  { key: "mine", staffOnly: true, filters: { assignee: "me", status: UNSOLVED.join(",") } },
  { key: "unassigned", staffOnly: true, filters: { assignee: "none", status: UNSOLVED.join(",") } },
  { key: "team", staffOnly: true, filters: { department: "mine", status: UNSOLVED.join(",") } },
  { key: "at_risk", staffOnly: true, filters: { sla: "at_risk", status: UNSOLVED.join(",") } },
  { key: "breached", staffOnly: true, filters: { sla: "breached", status: UNSOLVED.join(",") } },
  { key: "unsolved", staffOnly: false, filters: { status: UNSOLVED.join(",") } },
  { key: "all", staffOnly: false, filters: {} },
] as const satisfies readonly { key: string; staffOnly: boolean; filters: ListFilters }[];
export type BuiltInViewKey = (typeof builtInViews)[number]["key"];
/** A built-in view's key, or `view:<id>` for a saved view. */
export type ViewKey = BuiltInViewKey | `view:${number}`;

export const filtersOf = (key: ViewKey, saved: SavedView[] = []): ListFilters => {
  if (key.startsWith("view:")) return { ...(saved.find((v) => `view:${v.id}` === key)?.filters ?? {}) };
  return { ...(builtInViews.find((v) => v.key === key)?.filters ?? {}) };
};

export function toParams(filters: ListFilters) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  return params;
}

/** Whether two sets of filters select the same tickets (key order and empty values aside). */
export const sameFilters = (a: ListFilters, b: ListFilters) => {
  const norm = (f: ListFilters) => [...toParams(f)].sort(([x], [y]) => x.localeCompare(y)).join("&");
  return norm(a) === norm(b);
};

export const useSavedViews = (enabled: boolean) =>
  useQuery({ queryKey: ["views"], enabled, queryFn: async () => (await api<{ items: SavedView[] }>("/views")).items });

/** A view's badge; refetched whenever a live event touches tickets (query key under "tickets"). */
export function useViewCount(filters: ListFilters, enabled: boolean) {
  const params = toParams(filters);
  params.delete("sort");
  return useQuery({
    queryKey: ["tickets", "count", params.toString()],
    enabled,
    queryFn: () => api<{ count: number; capped: boolean }>(`/tickets/count?${params}`),
  });
}
