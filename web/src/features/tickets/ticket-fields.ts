import { type CustomFieldDefinition, fieldApplies } from "@loopdesk/contracts/custom-fields";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

/** Active ticket field definitions (customers receive only these). */
export const useTicketFields = (enabled = true) =>
  useQuery({
    queryKey: ["custom-fields", "ticket"],
    enabled,
    staleTime: 30_000,
    queryFn: async () => (await api<{ items: CustomFieldDefinition[] }>("/custom-fields?entity=ticket")).items.filter((f) => f.active),
  });

/** The fields of a category's template (fields without categories belong to every ticket). */
export const templateFields = (defs: CustomFieldDefinition[] | undefined, categoryId: number | null | undefined) =>
  (defs ?? []).filter((d) => fieldApplies(d, categoryId)).sort((a, b) => a.position - b.position || a.id - b.id);
