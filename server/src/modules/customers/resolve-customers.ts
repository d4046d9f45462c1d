import { sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";
import { type ResolvedCustomer, identitiesOf, resolveCustomer } from "./customer-service";

type CustomerRef = Parameters<typeof resolveCustomer>[1];
type Identity = ReturnType<typeof identitiesOf>[number];
const keyOf = (i: Identity) => `${i.kind}:${i.value}`;

/**
 * resolveCustomer for several requests at once, in this order: those naming one known contact of a
 * customer (the common case: a returning customer's email or phone) are found with one statement;
 * every other — a new contact, several contacts to learn, an id, a merged customer — is resolved in
 * turn as resolveCustomer does, after the earlier ones (a contact created for one is found by the next).
 */
export async function resolveCustomers(trx: Executor, refs: CustomerRef[]): Promise<ResolvedCustomer[]> {
  const single = refs.map((ref) => {
    const identities = ref.id ? [] : identitiesOf(ref);
    return identities.length === 1 ? (identities[0] as Identity) : undefined;
  });
  const wanted = single.filter((i): i is Identity => i !== undefined);
  const found = new Map<string, ResolvedCustomer>();
  if (wanted.length > 1) {
    const { rows } = await sql<ResolvedCustomer & { kind: string; value: string }>`${prepared}
      select u.kind, u.value, c.id, c.organization_id as "organizationId", c.tier
      from unnest(${wanted.map((i) => i.kind)}::text[], ${wanted.map((i) => i.value)}::text[]) as u(kind, value)
      join customer_identities i on i.kind = u.kind and i.value = u.value
      join customers c on c.id = i.customer_id
      where c.merged_into_id is null`.execute(trx);
    for (const r of rows) found.set(keyOf(r), { id: r.id, organizationId: r.organizationId, tier: r.tier });
  }
  const resolved: ResolvedCustomer[] = [];
  for (const [i, ref] of refs.entries()) {
    const identity = single[i];
    resolved.push((identity && found.get(keyOf(identity))) ?? (await resolveCustomer(trx, ref)));
  }
  return resolved;
}
