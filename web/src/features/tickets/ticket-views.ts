import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

const UNSOLVED = ["new", "open", "pending", "on_hold"];

/** Built-in queue views: each is a set of list filters. */
export const views = [
  { key: "mine", staffOnly: true, filters: { assignee: "me" }, statuses: UNSOLVED },
  { key: "unassigned", staffOnly: true, filters: { assignee: "none" }, statuses: UNSOLVED },
  { key: "unsolved", staffOnly: false, filters: {}, statuses: UNSOLVED },
  { key: "all", staffOnly: false, filters: {}, statuses: [] as string[] },
] as const;
export type ViewKey = (typeof views)[number]["key"];

export function viewParams(key: ViewKey, statuses: string[]) {
  const view = views.find((v) => v.key === key) ?? views[2];
  const params = new URLSearchParams(view.filters as Record<string, string>);
  if (statuses.length) params.set("status", statuses.join(","));
  return params;
}

/** A view's badge; refetched whenever a live event touches tickets (query key under "tickets"). */
export function useViewCount(key: ViewKey, enabled: boolean) {
  const view = views.find((v) => v.key === key) ?? views[2];
  const params = viewParams(key, [...view.statuses]);
  return useQuery({
    queryKey: ["tickets", "count", params.toString()],
    enabled,
    queryFn: () => api<{ count: number; capped: boolean }>(`/tickets/count?${params}`),
  });
}
