import { type Kysely, sql } from "kysely";
import { expect } from "vitest";
import type { DB } from "../../src/db/schema";

/** Rows that break a rule, as SQL returning the offending rows; each must return none. */
const TICKET_INVARIANTS: Record<string, string> = {
  "every ticket has its created event": `select t.id from tickets t where not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'created')`,
  "every ticket has a customer": `select t.id from tickets t left join customers c on c.id = t.customer_id where c.id is null`,
  "solved and closed tickets carry their times": `select id from tickets where (status in ('solved','closed') and solved_at is null) or (status = 'closed' and (closed_at is null or closed_at < solved_at))`,
  "sanitized HTML holds no script": `select id from ticket_messages where body_html ~* '<script|onerror|javascript:'`,
  "no message without its ticket": `select m.id from ticket_messages m left join tickets t on t.id = m.ticket_id where t.id is null`,
  "versions start at 1": `select id from tickets where version < 1`,
  "nothing happens to a ticket before it exists": `select e.id from ticket_events e join tickets t on t.id = e.ticket_id where e.created_at < t.created_at`,
  "no background job failed": `select id from jobs where status = 'failed'`,
};

/** Asserts the rules every ticket database keeps, plus any extra ones given. */
export async function expectTicketInvariants(db: Kysely<DB>, extra: Record<string, string> = {}) {
  for (const [rule, query] of Object.entries({ ...TICKET_INVARIANTS, ...extra })) {
    const { rows } = await sql.raw<{ id: number }>(`${query} limit 5`).execute(db);
    expect(rows, rule).toEqual([]);
  }
}
