import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import { api, writeHeaders } from "../../api/client";

type Other = { staffId: number; name: string; state: "viewing" | "typing" };
const HEARTBEAT_MS = 10_000;
/** Typing counts for this long after the last keystroke. */
const TYPING_MS = 8_000;

const touch = (ticketId: number, state: "viewing" | "typing" | "left") =>
  api<{ items: Other[] }>(`/tickets/${ticketId}/presence`, { method: "PUT", body: { state } });

/**
 * Collision detection: tells the server this agent is on the ticket (a heartbeat every 10 s),
 * and returns the other agents viewing or typing; live presence events refresh it at once.
 */
export function usePresence(ticketId: number, enabled: boolean) {
  const lastTyping = useRef(0);
  // Each heartbeat (and each refresh after a presence event) reports the current state, so a
  // refresh never turns "typing" back into "viewing" while the agent is still writing.
  const others = useQuery({
    queryKey: ["ticket", ticketId, "presence"],
    enabled,
    refetchInterval: HEARTBEAT_MS,
    queryFn: async () => (await touch(ticketId, Date.now() - lastTyping.current < TYPING_MS ? "typing" : "viewing")).items,
  });
  useEffect(() => {
    if (!enabled) return;
    // Closing the tab: a keepalive request still reaches the server as the page goes away.
    const onHide = () =>
      void fetch(`/api/v1/tickets/${ticketId}/presence`, {
        method: "PUT",
        keepalive: true,
        headers: writeHeaders(),
        body: JSON.stringify({ state: "left" }),
      });
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      void touch(ticketId, "left").catch(() => undefined);
    };
  }, [ticketId, enabled]);

  const lastSent = useRef(0);
  /** Call on each keystroke; the server hears about it at most every 5 s. */
  const typing = useCallback(() => {
    lastTyping.current = Date.now();
    if (!enabled || Date.now() - lastSent.current < 5_000) return;
    lastSent.current = Date.now();
    void touch(ticketId, "typing").catch(() => undefined);
  }, [ticketId, enabled]);

  return { others: others.data ?? [], typing };
}
