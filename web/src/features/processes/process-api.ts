import type { CustomerProgress, ProcessDefinition, ProcessInstance, ProcessTask } from "@loopdesk/contracts/processes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";

export type TaskScope = "mine" | "team" | "all";

export const useTasks = (scope: TaskScope, status: "active" | "finished" = "active") =>
  useQuery({
    queryKey: ["tasks", scope, status],
    queryFn: async () => (await api<{ items: ProcessTask[] }>(`/tasks?scope=${scope}&status=${status}`)).items,
  });

export const useTaskCount = (enabled = true) =>
  useQuery({ queryKey: ["tasks", "count"], enabled, queryFn: () => api<{ mine: number }>("/tasks/count") });

export const useTicketProcesses = (ticketId: number) =>
  useQuery({
    queryKey: ["tasks", "ticket", ticketId],
    queryFn: async () => (await api<{ items: ProcessInstance[] }>(`/tickets/${ticketId}/processes`)).items,
  });

export const useProcesses = (enabled = true) =>
  useQuery({
    queryKey: ["processes"],
    enabled,
    queryFn: async () => (await api<{ items: ProcessDefinition[] }>("/processes")).items,
  });

export const useCustomerProgress = (ticketId: number) =>
  useQuery({
    queryKey: ["tasks", "progress", ticketId],
    queryFn: async () => (await api<{ progress: CustomerProgress | null }>(`/tickets/${ticketId}/progress`)).progress,
  });

export type Completion = { values: Record<string, unknown>; comment?: string; decision?: "approve" | "reject" };

/** Finishing, taking and handing on tasks; every task view refreshes after (they share the "tasks" key). */
export function useTaskActions() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ["tasks"] });
    void qc.invalidateQueries({ queryKey: ["events"] });
  };
  return {
    complete: useMutation({
      mutationFn: ({ id, body }: { id: number; body: Completion }) => api<ProcessTask>(`/tasks/${id}/complete`, { method: "POST", body }),
      onSettled: refresh,
    }),
    claim: useMutation({
      mutationFn: (id: number) => api<ProcessTask>(`/tasks/${id}/claim`, { method: "POST", body: {} }),
      onSettled: refresh,
    }),
    reassign: useMutation({
      mutationFn: ({ id, assigneeId, reason }: { id: number; assigneeId: number | null; reason?: string }) =>
        api<ProcessTask>(`/tasks/${id}`, { method: "PATCH", body: { assigneeId, reason } }),
      onSettled: refresh,
    }),
  };
}
