import type { Customer } from "@loopdesk/contracts/customers";
import type { Ticket } from "@loopdesk/contracts/tickets";
import { type CannedReply, fillPlaceholders } from "@loopdesk/contracts/workspace";
import { useQuery } from "@tanstack/react-query";
import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useSession } from "../auth/session";

export const useCannedReplies = (enabled = true) =>
  useQuery({ queryKey: ["canned-replies"], enabled, queryFn: async () => (await api<{ items: CannedReply[] }>("/canned-replies")).items });

/**
 * Picks a canned reply by title or text and hands its filled-in text to the composer, saying
 * whether it is meant for colleagues (a macro that adds an internal note).
 */
export function CannedReplyPicker({ ticket, onInsert }: { ticket: Ticket; onInsert: (text: string, internal: boolean) => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const replies = useCannedReplies();
  const customer = useQuery({ queryKey: ["customer", ticket.customerId], queryFn: () => api<Customer>(`/customers/${ticket.customerId}`) });
  return (
    <Select
      showSearch
      value={null}
      aria-label={t("canned.insert")}
      placeholder={t("canned.insert")}
      style={{ minWidth: 180 }}
      notFoundContent={t("canned.none")}
      filterOption={(input, option) => (option?.search ?? "").toLowerCase().includes(input.toLowerCase())}
      onChange={(id: number) => {
        const reply = replies.data?.find((r) => r.id === id);
        if (!reply) return;
        onInsert(
          fillPlaceholders(reply.body, {
            "customer.name": customer.data?.name,
            "ticket.number": String(ticket.number),
            "ticket.subject": ticket.subject,
            "agent.name": user?.name,
          }),
          reply.actions.internal === true,
        );
      }}
      options={(replies.data ?? []).map((r) => ({ value: r.id, label: r.title, search: `${r.title} ${r.body}` }))}
    />
  );
}
