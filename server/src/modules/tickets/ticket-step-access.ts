import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";

/**
 * A process's steps open the ticket to whoever works them: the departments holding an active step
 * read it (see ticket-access), and a person who held or finished one stays a participant. Returns
 * the ticket's row as the live stream scopes it.
 */
export async function setStepAccess(db: Executor, ticketId: number, departmentIds: number[], participants: number[]) {
  return db
    .updateTable("tickets")
    .set({
      step_department_ids: [...new Set(departmentIds)].sort((a, b) => a - b),
      ...(participants.length
        ? {
            participant_ids: sql<
              number[]
            >`(select coalesce(array_agg(distinct x order by x), '{}') from unnest(participant_ids || ${participants}::int[]) x)`,
          }
        : {}),
    })
    .where("id", "=", ticketId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
