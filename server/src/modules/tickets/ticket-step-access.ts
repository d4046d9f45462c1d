import { type QueryCreator, sql } from "kysely";
import type { DB } from "../../db/schema";

/** A transaction, or one with a change to write in the same statement (`trx.with(…)`). */
export type StepAccessExecutor = Pick<QueryCreator<DB>, "updateTable">;

/**
 * A process's steps open the ticket to whoever works them: the departments holding an active step
 * read it (see ticket-access), and a person who holds or held one stays a participant. Read from
 * the process's active tasks and written in one statement; returns the ticket's row as the live
 * stream scopes it.
 */
export async function setStepAccess(db: StepAccessExecutor, ticketId: number, participants: number[]) {
  return db
    .updateTable("tickets")
    .set({
      step_department_ids: sql<number[]>`(select coalesce(array_agg(distinct department_id order by department_id), '{}')
        from process_tasks where ticket_id = ${ticketId} and status = 'active' and department_id is not null)`,
      participant_ids: sql<number[]>`(select coalesce(array_agg(distinct x order by x), '{}') from unnest(participant_ids
        || ${participants}::int[]
        || array(select assignee_id from process_tasks where ticket_id = ${ticketId} and status = 'active' and assignee_id is not null)) x)`,
    })
    .where("id", "=", ticketId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
