import type { Presence } from "@loopdesk/contracts/routing";
import { Badge, Select } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useMyRouting, useSetPresence } from "./routing-api";

const colors: Record<Presence, "success" | "warning" | "default"> = { online: "success", away: "warning", offline: "default" };
const HEARTBEAT_MS = 60_000;
/** Activity within this window counts as "here" for the heartbeat. */
const ACTIVE_WINDOW_MS = 5 * 60_000;

/**
 * The agent's presence (在线/离开/离线) in the header. While the tab sees keyboard or mouse activity
 * it sends a heartbeat; without one the server sets them away, later offline.
 */
export function PresenceSwitch() {
  const { t } = useTranslation();
  const me = useMyRouting();
  const set = useSetPresence();
  const lastActive = useRef(Date.now());
  const qc = useQueryClient();
  // The presence shown, read by the heartbeat loop without restarting it.
  const shown = useRef(me.data?.presence);
  shown.current = me.data?.presence;
  useEffect(() => {
    const mark = () => {
      lastActive.current = Date.now();
    };
    const events = ["keydown", "mousemove", "pointerdown", "focus"] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    const beat = () =>
      api<{ presence: Presence }>("/routing/me/heartbeat", { method: "POST", body: {} })
        .then((r) => {
          // Signing in during a shift may have put them online (their team's setting).
          if (r.presence !== shown.current) void qc.invalidateQueries({ queryKey: ["routing"] });
        })
        .catch(() => {});
    void beat();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && Date.now() - lastActive.current < ACTIVE_WINDOW_MS) void beat();
    }, HEARTBEAT_MS);
    return () => {
      for (const e of events) window.removeEventListener(e, mark);
      clearInterval(timer);
    };
  }, [qc]);
  const presence = me.data?.presence ?? "offline";
  return (
    <Select<Presence>
      data-testid="presence-switch"
      size="small"
      variant="borderless"
      value={presence}
      style={{ width: 96 }}
      loading={set.isPending}
      onChange={(p) => set.mutate(p)}
      options={(["online", "away", "offline"] as const).map((p) => ({
        value: p,
        label: <Badge status={colors[p]} text={t(`routing.presence.${p}`)} />,
      }))}
    />
  );
}
