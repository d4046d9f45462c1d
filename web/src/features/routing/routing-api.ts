import type { AgentState, AssignmentDecision, Presence, ScoreParts } from "@loopdesk/contracts/routing";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

export type TicketRouting = {
  teamId: number | null;
  routingStatus: "queued" | "offered" | "assigned" | "manual" | null;
  offeredUntil: string | null;
  transferCount: number;
  priorityScore: number;
  scoreParts: Partial<ScoreParts>;
  decisions: AssignmentDecision[];
};
export type Offer = {
  ticketId: number;
  number: number;
  subject: string;
  teamId: number | null;
  priorityScore: number;
  offeredUntil: string | null;
  createdAt: string;
};

export const useMyRouting = () =>
  useQuery({ queryKey: ["routing", "me"], refetchInterval: 60_000, queryFn: () => api<AgentState>("/routing/me") });
export const useOffers = () =>
  useQuery({
    queryKey: ["routing", "offers"],
    refetchInterval: 5_000,
    queryFn: async () => (await api<{ items: Offer[] }>("/routing/offers")).items,
  });
export const useTicketRouting = (id: number, version: number) =>
  useQuery({ queryKey: ["ticket", id, "routing", version], queryFn: () => api<TicketRouting>(`/tickets/${id}/routing`) });

/** A routing action on a ticket (claim, decline, transfer, route now); refreshes the ticket and the lists. */
export function useTicketAction(ticketId: number) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: "claim" | "reject" | "transfer" | "route"; body?: unknown }) =>
      api(`/tickets/${ticketId}/${action}`, { method: "POST", body: body ?? {} }),
    onSuccess: () => void message.success(t("common.saved")),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["ticket", ticketId] });
      void qc.invalidateQueries({ queryKey: ["tickets"] });
      void qc.invalidateQueries({ queryKey: ["routing"] });
    },
  });
}

export function useSetPresence() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (presence: Presence) => api("/routing/me/presence", { method: "PUT", body: { presence } }),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["routing"] }),
  });
}
