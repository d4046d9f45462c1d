import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

/** Keeps lists and open tickets current: each live event refetches what it touches. */
export function useLiveEvents(enabled: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const source = new EventSource("/api/v1/stream");
    // Whatever happened before the stream was (re)connected was not pushed: fetch it now.
    source.addEventListener("open", () => {
      void qc.invalidateQueries({ queryKey: ["tickets"] });
      void qc.invalidateQueries({ queryKey: ["portal"] });
      void qc.invalidateQueries({ queryKey: ["notifications"] });
      void qc.invalidateQueries({ queryKey: ["tasks"] });
    });
    const onEvent = (e: MessageEvent) => {
      try {
        const data = JSON.parse(e.data) as { ticketId: number };
        void qc.invalidateQueries({ queryKey: ["tickets"] });
        void qc.invalidateQueries({ queryKey: ["ticket", data.ticketId] });
        // The customer's portal pages of it.
        void qc.invalidateQueries({ queryKey: ["portal"] });
      } catch {}
    };
    for (const type of ["ticket.created", "ticket.updated", "ticket.message_added", "ticket.urged", "ticket.transferred"])
      source.addEventListener(type, onEvent);
    // A process step started, finished or changed hands: the task views, and the ticket's history and map.
    source.addEventListener("ticket.task_changed", (e: MessageEvent) => {
      onEvent(e);
      void qc.invalidateQueries({ queryKey: ["tasks"] });
    });
    // The bell: a notification for this user.
    source.addEventListener("notification.created", () => void qc.invalidateQueries({ queryKey: ["notifications"] }));
    // Presence changes only touch who-is-here, not the ticket itself.
    source.addEventListener("ticket.presence", (e: MessageEvent) => {
      try {
        const data = JSON.parse(e.data) as { ticketId: number };
        void qc.invalidateQueries({ queryKey: ["ticket", data.ticketId, "presence"] });
      } catch {}
    });
    return () => source.close();
  }, [enabled, qc]);
}
