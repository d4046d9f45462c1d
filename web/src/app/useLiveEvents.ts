import { type QueryClient, type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

const TICKET_EVENTS = ["ticket.created", "ticket.updated", "ticket.message_added", "ticket.urged", "ticket.transferred"];
/** A stream the browser gave up on is opened again after this long, doubling up to a minute. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 60_000;

/**
 * Refetches the active queries under `queryKey`. A first load already under way may have been
 * answered before the change that prompts this (a new ticket missing from the list): React Query
 * lets an invalidation join such a load instead of starting another, so it is fetched once more
 * when that load is done.
 */
export function refreshQueries(qc: QueryClient, queryKey: QueryKey) {
  for (const query of qc.getQueryCache().findAll({ queryKey, type: "active" }))
    if (query.state.data === undefined && query.state.fetchStatus === "fetching")
      void query.promise?.catch(() => {}).then(() => qc.invalidateQueries({ queryKey: query.queryKey, exact: true }));
  return qc.invalidateQueries({ queryKey });
}

/** Keeps lists and open tickets current: each live event refetches what it touches. */
export function useLiveEvents(enabled: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = RETRY_FIRST_MS;
    let stopped = false;

    const refresh = (queryKey: QueryKey) => void refreshQueries(qc, queryKey);

    const onEvent = (e: MessageEvent) => {
      try {
        const data = JSON.parse(e.data) as { ticketId: number };
        refresh(["tickets"]);
        refresh(["ticket", data.ticketId]);
        // The customer's portal pages of it.
        refresh(["portal"]);
      } catch {}
    };

    const connect = () => {
      source = new EventSource("/api/v1/stream");
      // Whatever happened before the stream was (re)connected was not pushed: fetch it now.
      source.addEventListener("open", () => {
        delay = RETRY_FIRST_MS;
        for (const key of ["tickets", "portal", "notifications", "tasks"]) refresh([key]);
      });
      // The browser reconnects by itself after a dropped connection, but gives up for good on an
      // answer that is not the stream (a proxy's 502 while the server restarts, a 503): open it again.
      source.addEventListener("error", () => {
        if (stopped || source?.readyState !== EventSource.CLOSED) return;
        source.close();
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      });
      for (const type of TICKET_EVENTS) source.addEventListener(type, onEvent);
      // A process step started, finished or changed hands: the task views, and the ticket's history and map.
      source.addEventListener("ticket.task_changed", (e: MessageEvent) => {
        onEvent(e);
        refresh(["tasks"]);
      });
      // The bell: a notification for this user.
      source.addEventListener("notification.created", () => refresh(["notifications"]));
      // Presence changes only touch who-is-here, not the ticket itself.
      source.addEventListener("ticket.presence", (e: MessageEvent) => {
        try {
          const data = JSON.parse(e.data) as { ticketId: number };
          void qc.invalidateQueries({ queryKey: ["ticket", data.ticketId, "presence"] });
        } catch {}
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [enabled, qc]);
}
