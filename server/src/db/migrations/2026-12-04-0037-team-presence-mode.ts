import { type Kysely, sql } from "kysely";

// How a team's members come online: by hand (the app offers it when they are on shift), when they
// open the app during their shift (sign_in), or for their whole shift by the roster (shift). The
// demo, and any team that dispatches by roster, gets tickets assigned at once without everyone
// remembering to switch a toggle.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table teams add column presence_mode text not null default 'manual'
    check (presence_mode in ('manual', 'sign_in', 'shift'))`.execute(db);
}
