import type { Executor } from "../../platform/jobs/job-queue";

/**
 * What SLA clocks read from tickets: the fields policies match on and the time line of statuses
 * and public messages (from the append-only history), for a set of tickets.
 */
export async function ticketSlaFacts(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const [tickets, events, messages] = await Promise.all([
    db
      .selectFrom("tickets")
      .select([
        "id",
        "priority",
        "category_id",
        "channel",
        "department_id",
        "customer_id",
        "custom_fields",
        "status",
        "created_at",
        "first_response_at",
        "sla_policy_id",
        "number",
        "organization_id",
        "assignee_id",
        "participant_ids",
      ])
      .where("id", "in", ids)
      .execute(),
    db
      .selectFrom("ticket_events")
      .select(["ticket_id", "type", "after", "created_at"])
      .where("ticket_id", "in", ids)
      .where("type", "in", ["created", "status_changed"])
      .orderBy("id")
      .execute(),
    db
      .selectFrom("ticket_messages")
      .select(["ticket_id", "author_type", "created_at"])
      .where("ticket_id", "in", ids)
      .where("visibility", "=", "public")
      .orderBy("id")
      .execute(),
  ]);
  return tickets.map((t) => ({
    ...t,
    statuses: events
      .filter((e) => e.ticket_id === t.id)
      .map((e) => ({
        at: e.created_at,
        status: e.type === "created" ? String((e.after as { status?: string } | null)?.status ?? "new") : String(e.after),
      })),
    publicMessages: messages
      .filter((m) => m.ticket_id === t.id && m.author_type !== "system")
      .map((m) => ({ at: m.created_at, by: m.author_type === "staff" ? ("staff" as const) : ("customer" as const) })),
  }));
}

/** Stores the due times the SLA module computed (system fields: no version bump, no history). */
export async function setTicketSlaDue(
  db: Executor,
  id: number,
  due: { policyId: number | null; firstResponse: Date | null; nextResponse: Date | null; resolution: Date | null; next: Date | null },
) {
  await db
    .updateTable("tickets")
    .set({
      sla_policy_id: due.policyId,
      first_response_due_at: due.firstResponse,
      next_response_due_at: due.nextResponse,
      resolution_due_at: due.resolution,
      sla_next_due_at: due.next,
    })
    .where("id", "=", id)
    .execute();
}

/** Forgets SLA due times on tickets that have them (no policy applies any more). */
export async function clearTicketSlaDue(db: Executor, ids: number[]) {
  await db
    .updateTable("tickets")
    .set({ sla_policy_id: null, first_response_due_at: null, next_response_due_at: null, resolution_due_at: null, sla_next_due_at: null })
    .where("id", "in", ids)
    .where("sla_policy_id", "is not", null)
    .execute();
}
