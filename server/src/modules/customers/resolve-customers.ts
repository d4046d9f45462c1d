import { sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";
import { type ResolvedCustomer, identitiesOf, newCustomerName, resolveCustomer } from "./customer-service";

type CustomerRef = Parameters<typeof resolveCustomer>[1];
type Identity = ReturnType<typeof identitiesOf>[number];
const keyOf = (i: Identity) => `${i.kind}:${i.value}`;

/**
 * resolveCustomer for several requests at once, in this order: those naming one known contact of a
 * customer (the common case: a returning customer's email or phone) are found with one statement;
 * those naming one new contact get their customers with one more (a contact named twice, one
 * customer); every other — several contacts to learn, an id, a merged customer, a contact another
 * request created meanwhile — is resolved in turn as resolveCustomer does, after the earlier ones
 * (a contact created for one is found by the next).
 */
export async function resolveCustomers(trx: Executor, refs: CustomerRef[]): Promise<ResolvedCustomer[]> {
  const single = refs.map((ref) => {
    const identities = ref.id ? [] : identitiesOf(ref);
    return identities.length === 1 ? (identities[0] as Identity) : undefined;
  });
  const found = await knownCustomers(
    trx,
    single.filter((i): i is Identity => i !== undefined),
  );
  const fresh = new Map<string, { identity: Identity; name: string }>();
  for (const [i, identity] of single.entries())
    if (identity && !found.has(keyOf(identity)) && !fresh.has(keyOf(identity)))
      fresh.set(keyOf(identity), { identity, name: newCustomerName(refs[i] as CustomerRef) });
  for (const [key, customer] of await createCustomers(trx, [...fresh.values()])) found.set(key, customer);
  const resolved: ResolvedCustomer[] = [];
  for (const [i, ref] of refs.entries()) {
    const identity = single[i];
    resolved.push((identity && found.get(keyOf(identity))) ?? (await resolveCustomer(trx, ref)));
  }
  return resolved;
}

/** The (unmerged) customers owning these contacts, by contact. */
async function knownCustomers(trx: Executor, wanted: Identity[]) {
  const found = new Map<string, ResolvedCustomer>();
  if (wanted.length === 0) return found;
  const { rows } = await sql<ResolvedCustomer & { kind: string; value: string }>`${prepared}
    select u.kind, u.value, c.id, c.organization_id as "organizationId", c.tier
    from unnest(${wanted.map((i) => i.kind)}::text[], ${wanted.map((i) => i.value)}::text[]) as u(kind, value)
    join customer_identities i on i.kind = u.kind and i.value = u.value
    join customers c on c.id = i.customer_id
    where c.merged_into_id is null`.execute(trx);
  for (const r of rows) found.set(keyOf(r), { id: r.id, organizationId: r.organizationId, tier: r.tier });
  return found;
}

/**
 * A new customer for each new contact, with the contact, in one statement. A contact that someone
 * else's request created meanwhile (or a merged customer holds) is not taken: the customer made for
 * it is removed again and the contact is left out of the answer, to be resolved on its own.
 */
async function createCustomers(trx: Executor, fresh: { identity: Identity; name: string }[]) {
  const made = new Map<string, ResolvedCustomer>();
  if (fresh.length === 0) return made;
  const { rows } = await sql<{ id: number; tier: string; kind: string; value: string; kept: boolean }>`${prepared}
    with input as materialized (
      select nextval(pg_get_serial_sequence('customers', 'id'))::int as id, u.name, u.kind, u.value
      from unnest(${fresh.map((f) => f.name)}::text[], ${fresh.map((f) => f.identity.kind)}::text[],
        ${fresh.map((f) => f.identity.value)}::text[]) with ordinality as u(name, kind, value, ord)
      order by u.ord
    ), new_customer as (
      insert into customers (id, name, custom_fields) overriding system value
      select id, name, '{}' from input order by id
      returning id, tier
    ), new_identity as (
      insert into customer_identities (customer_id, kind, value)
      select id, kind, value from input order by id
      on conflict (kind, value) do nothing
      returning customer_id
    )
    select c.id, c.tier, input.kind, input.value, i.customer_id is not null as kept
    from input join new_customer c using (id) left join new_identity i on i.customer_id = input.id`.execute(trx);
  const untaken = rows.filter((r) => !r.kept).map((r) => r.id);
  if (untaken.length) await trx.deleteFrom("customers").where("id", "in", untaken).execute();
  for (const r of rows) if (r.kept) made.set(keyOf(r), { id: r.id, organizationId: null, tier: r.tier });
  return made;
}
