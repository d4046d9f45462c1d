import { type Kysely, sql } from "kysely";

// Search by part of a phone number (the first digits, or the last four an agent is read out):
// phone identities indexed for a prefix match and, reversed, for a suffix match.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index customer_identities_phone_prefix_idx on customer_identities (value text_pattern_ops) where kind = 'phone'`.execute(
    db,
  );
  await sql`create index customer_identities_phone_suffix_idx on customer_identities (reverse(value) text_pattern_ops) where kind = 'phone'`.execute(
    db,
  );
}
