import type { SearchSuggestions } from "@loopdesk/contracts/tickets";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { customerSummaries, customersMatching } from "../customers/customer-service";
import { countTickets, listTickets } from "./list-tickets";

const TICKETS = 6;
const CUSTOMERS = 5;

/**
 * What the top bar offers while a person types: the visible tickets that match best, and the
 * customers the text names with how many of their tickets this person may see (customers with
 * none visible are left out: a search never tells of tickets outside one's scope).
 */
export async function suggest(ctx: AppContext, principal: StaffPrincipal, q: string): Promise<SearchSuggestions> {
  const [tickets, customerIds] = await Promise.all([
    listTickets(ctx, principal, { q, sort: "relevance", limit: TICKETS }),
    customersMatching(ctx.db, q, CUSTOMERS * 2),
  ]);
  const counted = await Promise.all(
    customerIds.map(async (id) => ({ id, visible: (await countTickets(ctx, principal, { customer: id })).count })),
  );
  const shown = counted.filter((c) => c.visible > 0).slice(0, CUSTOMERS);
  const summaries = await customerSummaries(
    ctx.db,
    shown.map((c) => c.id),
  );
  return {
    q,
    tickets: tickets.items.map((t) => ({ id: t.id, number: t.number, subject: t.subject, status: t.status })),
    customers: shown.flatMap((c) => {
      const s = summaries.get(c.id);
      return s ? [{ id: c.id, name: s.name, tier: s.tier, visibleTickets: c.visible }] : [];
    }),
  };
}
