import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { normalizeIdentity, resolveCustomer } from "../customers/customer-service";

type Trx = Transaction<DB>;

/** Per-import memory of what was looked up or created (one query per distinct organization or customer). */
export type WriteCache = { organizations: Map<string, number>; customers: Map<string, { id: number; organizationId: number | null }> };
export const newWriteCache = (): WriteCache => ({ organizations: new Map(), customers: new Map() });

export async function organizationId(trx: Trx, cache: WriteCache, name: string | null | undefined, domain?: string | null) {
  if (!name) return null;
  const key = name.trim();
  const known = cache.organizations.get(key);
  if (known) return known;
  const found = await trx.selectFrom("organizations").select("id").where("name", "=", key).executeTakeFirst();
  const id =
    found?.id ??
    (
      await trx
        .insertInto("organizations")
        .values({ name: key, domain: domain ?? null, custom_fields: "{}" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  cache.organizations.set(key, id);
  return id;
}

export type Contact = { email?: string; phone?: string; name?: string };
const contactKey = (c: Contact) =>
  c.email ? `e:${normalizeIdentity("email", c.email)}` : `p:${normalizeIdentity("phone", c.phone ?? "")}`;

/**
 * Finds or creates the customers of a whole batch in a few statements (one lookup of every email
 * and phone, one insert of the new customers, one of their contacts) instead of several per row;
 * contacts given beside a known one are learned, as a single request would. Customers merged into
 * another, and contacts another writer took meanwhile, are left to the one-by-one path.
 */
export async function prefetchCustomers(trx: Trx, cache: WriteCache, contacts: Contact[]) {
  const wanted = new Map<string, Contact>();
  for (const c of contacts) {
    const key = contactKey(c);
    if (!cache.customers.has(key) && !wanted.has(key)) wanted.set(key, c);
  }
  if (!wanted.size) return;
  const ids = [...wanted.values()].flatMap((c) => [
    ...(c.email ? [{ kind: "email", value: normalizeIdentity("email", c.email) }] : []),
    ...(c.phone ? [{ kind: "phone", value: normalizeIdentity("phone", c.phone) }] : []),
  ]);
  const found = await trx
    .selectFrom("customer_identities as i")
    .innerJoin("customers as c", "c.id", "i.customer_id")
    .select(["i.kind", "i.value", "c.id", "c.merged_into_id", "c.organization_id"])
    .where((e) =>
      e.or([
        e.and([e("i.kind", "=", "email"), e("i.value", "in", [...ids.filter((i) => i.kind === "email").map((i) => i.value), ""])]),
        e.and([e("i.kind", "=", "phone"), e("i.value", "in", [...ids.filter((i) => i.kind === "phone").map((i) => i.value), ""])]),
      ]),
    )
    .execute();
  const owner = new Map(found.map((f) => [`${f.kind}:${f.value}`, f]));
  const fresh: [string, Contact][] = [];
  const learn: { customer_id: number; kind: string; value: string }[] = [];
  for (const [key, c] of wanted) {
    const email = c.email ? owner.get(`email:${normalizeIdentity("email", c.email)}`) : undefined;
    const phone = c.phone ? owner.get(`phone:${normalizeIdentity("phone", c.phone)}`) : undefined;
    const hit = email ?? phone;
    if (!hit) fresh.push([key, c]);
    else if (hit.merged_into_id === null) {
      cache.customers.set(key, { id: hit.id, organizationId: hit.organization_id });
      if (c.email && !email) learn.push({ customer_id: hit.id, kind: "email", value: normalizeIdentity("email", c.email) });
      if (c.phone && !phone) learn.push({ customer_id: hit.id, kind: "phone", value: normalizeIdentity("phone", c.phone) });
    }
  }
  if (learn.length)
    await trx
      .insertInto("customer_identities")
      .values(learn)
      .onConflict((oc) => oc.columns(["kind", "value"]).doNothing())
      .execute();
  if (!fresh.length) return;
  const made = await trx
    .insertInto("customers")
    .values(fresh.map(([, c]) => ({ name: c.name ?? c.email?.split("@")[0] ?? c.phone ?? "?", custom_fields: "{}" })))
    .returning("id")
    .execute();
  const contactsMade = fresh.flatMap(([, c], i) => [
    ...(c.email ? [{ customer_id: made[i].id, kind: "email", value: normalizeIdentity("email", c.email) }] : []),
    ...(c.phone ? [{ customer_id: made[i].id, kind: "phone", value: normalizeIdentity("phone", c.phone) }] : []),
  ]);
  const kept = new Set(
    (
      await trx
        .insertInto("customer_identities")
        .values(contactsMade)
        .onConflict((oc) => oc.columns(["kind", "value"]).doNothing())
        .returning("customer_id")
        .execute()
    ).map((r) => r.customer_id),
  );
  const orphans = made.filter((m) => !kept.has(m.id)).map((m) => m.id);
  if (orphans.length) await trx.deleteFrom("customers").where("id", "in", orphans).execute();
  fresh.forEach(([key], i) => {
    if (kept.has(made[i].id)) cache.customers.set(key, { id: made[i].id, organizationId: null });
  });
}

export async function customerOf(trx: Trx, cache: WriteCache, contact: Contact, organization: string | null) {
  const key = contactKey(contact);
  let customer = cache.customers.get(key);
  if (!customer) {
    customer = await resolveCustomer(trx, contact);
    cache.customers.set(key, customer);
  }
  if (organization && customer.organizationId === null) {
    const orgId = await organizationId(trx, cache, organization);
    await trx.updateTable("customers").set({ organization_id: orgId }).where("id", "=", customer.id).execute();
    customer.organizationId = orgId;
  }
  return customer;
}
