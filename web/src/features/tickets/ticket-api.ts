import type { Customer } from "@loopdesk/contracts/customers";
import type { StaffMember, StaffPreferences } from "@loopdesk/contracts/staff";
import type { EventNames, Message, Ticket, TicketEvent, UpdateTicketBody } from "@loopdesk/contracts/tickets";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";

export const ticketKeys = {
  all: ["tickets"] as const,
  one: (id: number) => ["ticket", id] as const,
  messages: (id: number) => ["ticket", id, "messages"] as const,
  events: (id: number) => ["ticket", id, "events"] as const,
};

export const useTicket = (id: number) => useQuery({ queryKey: ticketKeys.one(id), queryFn: () => api<Ticket>(`/tickets/${id}`) });
export const useMessages = (id: number) =>
  useQuery({ queryKey: ticketKeys.messages(id), queryFn: async () => (await api<{ items: Message[] }>(`/tickets/${id}/messages`)).items });
/** The history and the names of everything it refers to by id. */
export const useEvents = (id: number) =>
  useQuery({ queryKey: ticketKeys.events(id), queryFn: () => api<{ items: TicketEvent[]; names: EventNames }>(`/tickets/${id}/events`) });
export const useTicketAttachments = (id: number) =>
  useQuery({
    queryKey: ["ticket", id, "attachments"],
    queryFn: async () => (await api<{ items: Message["attachments"] }>(`/tickets/${id}/attachments`)).items,
  });
/** A ticket's customer and the organization they belong to (if any). */
export function useCustomerWithOrganization(customerId: number) {
  const customer = useQuery({ queryKey: ["customer", customerId], queryFn: () => api<Customer>(`/customers/${customerId}`) });
  const organizationId = customer.data?.organizationId ?? null;
  const organization = useQuery({
    queryKey: ["organization", organizationId],
    enabled: organizationId !== null,
    staleTime: 60_000,
    queryFn: () => api<{ id: number; name: string }>(`/organizations/${organizationId}`),
  });
  return { customer, organization };
}

export const useStaff = (enabled: boolean) =>
  useQuery({ queryKey: ["staff"], enabled, staleTime: 60_000, queryFn: async () => (await api<{ items: StaffMember[] }>("/staff")).items });

/** A directory list (`{ items: { id, name } }`), e.g. /categories or /departments, cached for a minute. */
export const useNamed = (path: string, enabled = true) =>
  useQuery({
    queryKey: [path.slice(1)],
    enabled,
    staleTime: 60_000,
    queryFn: async () => (await api<{ items: { id: number; name: string }[] }>(path)).items,
  });

function useRefreshTicket(id: number) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ["ticket", id] });
    void qc.invalidateQueries({ queryKey: ticketKeys.all });
  };
}

/** PATCH with If-Match: a stale version answers 412 and the page shows what changed. */
export function useUpdateTicket(id: number) {
  const refresh = useRefreshTicket(id);
  return useMutation({
    mutationFn: ({ changes, version }: { changes: UpdateTicketBody; version: number }) =>
      api<Ticket>(`/tickets/${id}`, { method: "PATCH", body: changes, headers: { "if-match": `"${version}"` } }),
    onSettled: refresh,
  });
}

export function useAddMessage(id: number) {
  const refresh = useRefreshTicket(id);
  return useMutation({
    mutationFn: (body: { body: string; visibility: "public" | "internal"; status?: Ticket["status"]; attachmentIds?: number[] }) =>
      api(`/tickets/${id}/messages`, { method: "POST", body }),
    onSettled: refresh,
  });
}

/** The person's own workspace settings (queue columns, page size), saved on the server. */
export function usePreferences() {
  const qc = useQueryClient();
  const prefs = useQuery({
    queryKey: ["me", "preferences"],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => api<StaffPreferences>("/me/preferences"),
  });
  const save = useMutation({
    mutationFn: (change: StaffPreferences) => api<StaffPreferences>("/me/preferences", { method: "PUT", body: change }),
    onMutate: (change) => qc.setQueryData<StaffPreferences>(["me", "preferences"], (p) => ({ ...(p ?? {}), ...change })),
    onSuccess: (saved) => qc.setQueryData(["me", "preferences"], saved),
  });
  return { preferences: prefs.data ?? {}, savePreferences: (change: StaffPreferences) => save.mutate(change) };
}
