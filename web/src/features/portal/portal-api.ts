import type { Message, PortalTicket } from "@loopdesk/contracts/tickets";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";

/** The customer's open requests (处理中 and 待您回复) and the finished ones. */
export const OPEN_STATUSES = "new,open,pending,on_hold";
export const DONE_STATUSES = "solved,closed";

export const portalKeys = {
  list: (which: "open" | "done") => ["portal", "tickets", which] as const,
  one: (id: number) => ["portal", "ticket", id] as const,
  messages: (id: number) => ["portal", "ticket", id, "messages"] as const,
};

export const usePortalTickets = (which: "open" | "done") =>
  useQuery({
    queryKey: portalKeys.list(which),
    queryFn: () =>
      api<{ items: PortalTicket[]; nextCursor: string | null }>(
        `/tickets?status=${which === "open" ? OPEN_STATUSES : DONE_STATUSES}&limit=100&sort=-updated_at`,
      ),
  });

export const usePortalTicket = (id: number) =>
  useQuery({ queryKey: portalKeys.one(id), queryFn: () => api<PortalTicket>(`/tickets/${id}`) });
export const usePortalMessages = (id: number) =>
  useQuery({ queryKey: portalKeys.messages(id), queryFn: async () => (await api<{ items: Message[] }>(`/tickets/${id}/messages`)).items });

/** A reply from the customer (which also reopens a solved request) refreshes the request and the lists. */
export function usePortalReply(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { body: string; attachmentIds: number[] }) =>
      api<{ ticket: PortalTicket; followUpTicketId: number | null }>(`/tickets/${id}/messages`, {
        method: "POST",
        body: { ...body, visibility: "public" },
      }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["portal"] }),
  });
}
