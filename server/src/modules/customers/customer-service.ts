import { compiledOnce, slot } from "../../db/compiled-once";
import { plannedWithItsValues, prepared } from "../../db/prepared-statements";
import type { z } from "zod";
import {
  type createCustomerBody,
  type Customer,
  type listCustomersQuery,
  mainlandMobile,
  type updateCustomerBody,
} from "@loopdesk/contracts/customers";
import { type Kysely, type Selectable, sql } from "kysely";
import type { CustomersTable, DB } from "../../db/schema";
import type { CustomerPrincipal } from "../../platform/auth/principal";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { validateCustomFields } from "../custom-fields/custom-field-service";
import { organizationExists } from "../organizations/organization-service";
import { decodeCursor, encodeCursor } from "../../platform/http/cursor";

type Row = Selectable<CustomersTable>;
export type IdentityInput = { kind: string; value: string };

export const normalizeIdentity = (kind: string, value: string) =>
  kind === "email" ? value.trim().toLowerCase() : kind === "phone" ? value.replace(/[\s-]/g, "") : value.trim();

async function present(db: Executor, rows: Row[]): Promise<Customer[]> {
  if (rows.length === 0) return [];
  const identities = await db
    .selectFrom("customer_identities")
    .select(["id", "customer_id", "kind", "value", "verified"])
    .where(
      "customer_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    tier: r.tier,
    organizationId: r.organization_id,
    isOrgContact: r.is_org_contact,
    locale: r.locale,
    customFields: r.custom_fields ?? {},
    mergedIntoId: r.merged_into_id,
    identities: identities
      .filter((i) => i.customer_id === r.id)
      .map((i) => ({ id: i.id, kind: i.kind as Customer["identities"][number]["kind"], value: i.value, verified: i.verified })),
    createdAt: r.created_at.toISOString(),
  }));
}

export async function getCustomer(db: Executor, id: number) {
  const row = await db.selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Customer");
  return (await present(db, [row]))[0];
}

export async function customerOrganization(db: Executor, id: number) {
  const row = await db.selectFrom("customers").select(["organization_id"]).where("id", "=", id).executeTakeFirst();
  return row?.organization_id ?? null;
}

/** Display names of customers, for timelines and lists. */
/** Name and tier of customers, for lists in other modules. */
export async function customerSummaries(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, { name: string; tier: string }>();
  const rows = await db.selectFrom("customers").select(["id", "name", "tier"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, tier: r.tier }]));
}

export async function customerNames(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  return new Map((await db.selectFrom("customers").select(["id", "name"]).where("id", "in", ids).execute()).map((r) => [r.id, r.name]));
}

export async function setCustomerLocale(db: Executor, id: number, locale: "zh-CN" | "en") {
  await db.updateTable("customers").set({ locale, updated_at: new Date() }).where("id", "=", id).execute();
}

/** How to write to a customer: name, language and first email address (null when they have none). */
export async function customerContact(db: Executor, id: number) {
  const row = await db
    .selectFrom("customers")
    .leftJoin("customer_identities as i", (j) => j.onRef("i.customer_id", "=", "customers.id").on("i.kind", "=", "email"))
    .select(["customers.name", "customers.locale", "customers.tier", "i.value as email"])
    .where("customers.id", "=", id)
    .orderBy("i.id")
    .limit(1)
    .executeTakeFirst();
  return { name: row?.name ?? "", locale: row?.locale ?? "zh-CN", tier: row?.tier ?? null, email: row?.email ?? null };
}

/** Each customer's tier (普通/银卡/金卡/VIP), e.g. for SLA policies and routing. */
export async function customerTiers(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await db.selectFrom("customers").select(["id", "tier"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.tier as string]));
}

export async function customerPasswordHash(db: Executor, id: number) {
  return (await db.selectFrom("customers").select("password_hash").where("id", "=", id).executeTakeFirst())?.password_hash ?? null;
}

export async function setCustomerPasswordHash(db: Executor, id: number, hash: string) {
  await db.updateTable("customers").set({ password_hash: hash, updated_at: new Date() }).where("id", "=", id).execute();
}

// Every new ticket from a customer and every customer sign-in looks one up: compiled once.
const customerByIdentity = compiledOnce((db) =>
  db
    .selectFrom("customer_identities")
    .innerJoin("customers", "customers.id", "customer_identities.customer_id")
    .select(["customers.id", "customers.merged_into_id", "customers.organization_id", "customers.password_hash", "customers.tier"])
    .where("customer_identities.kind", "=", slot<string>("kind"))
    .where("customer_identities.value", "=", slot<string>("value"))
    .modifyEnd(prepared),
);

export async function findCustomerByIdentity(db: Executor, kind: string, value: string) {
  const [row] = await customerByIdentity(db, { kind, value: normalizeIdentity(kind, value) });
  return row;
}

export async function loadCustomerPrincipal(db: Executor, id: number): Promise<CustomerPrincipal | undefined> {
  const row = await db.selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || row.merged_into_id) return undefined;
  const email = await db
    .selectFrom("customer_identities")
    .select("value")
    .where("customer_id", "=", id)
    .where("kind", "=", "email")
    .orderBy("id")
    .executeTakeFirst();
  return {
    kind: "customer",
    id: row.id,
    email: email?.value ?? null,
    name: row.name,
    locale: row.locale === "en" ? "en" : "zh-CN",
    organizationId: row.organization_id,
    isOrgContact: row.is_org_contact,
  };
}

async function checkOrganization(db: Executor, organizationId: number | null | undefined) {
  if (organizationId == null) return;
  if (!(await organizationExists(db, organizationId)))
    throw ValidationError([{ path: "organizationId", code: "unknown_reference", message: "Unknown organization." }]);
}

export function identitiesOf(input: { email?: string; phone?: string; identities?: IdentityInput[] }): IdentityInput[] {
  const list: IdentityInput[] = [];
  if (input.email) list.push({ kind: "email", value: input.email });
  if (input.phone) list.push({ kind: "phone", value: input.phone });
  for (const i of input.identities ?? []) list.push(i);
  const seen = new Set<string>();
  return list
    .map((i) => ({ kind: i.kind, value: normalizeIdentity(i.kind, i.value) }))
    .filter((i) => {
      const k = `${i.kind}:${i.value}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

export async function createCustomer(db: Kysely<DB>, input: z.output<typeof createCustomerBody>) {
  await checkOrganization(db, input.organizationId);
  const customFields = await validateCustomFields(db, "customer", input.customFields, { requireAll: true });
  const identities = identitiesOf(input);
  const id = await db.transaction().execute(async (trx) => {
    for (const i of identities) {
      if (await findCustomerByIdentity(trx, i.kind, i.value))
        throw ConflictError("Another customer already has this contact.", { kind: i.kind, value: i.value });
    }
    const row = await trx
      .insertInto("customers")
      .values({
        name: input.name,
        tier: input.tier,
        organization_id: input.organizationId ?? null,
        is_org_contact: input.isOrgContact,
        custom_fields: JSON.stringify(customFields),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (identities.length)
      await trx
        .insertInto("customer_identities")
        .values(identities.map((i) => ({ customer_id: row.id, kind: i.kind, value: i.value })))
        .execute();
    return row.id;
  });
  return getCustomer(db, id);
}

export async function updateCustomer(db: Executor, id: number, input: z.output<typeof updateCustomerBody>) {
  const current = await db.selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) throw NotFoundError("Customer");
  await checkOrganization(db, input.organizationId);
  const customFields = input.customFields
    ? await validateCustomFields(db, "customer", input.customFields, { existing: current.custom_fields, requireAll: false })
    : undefined;
  await db
    .updateTable("customers")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.tier !== undefined ? { tier: input.tier } : {}),
      ...(input.organizationId !== undefined ? { organization_id: input.organizationId } : {}),
      ...(input.isOrgContact !== undefined ? { is_org_contact: input.isOrgContact } : {}),
      ...(customFields ? { custom_fields: JSON.stringify(customFields) } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
  return getCustomer(db, id);
}

export async function addIdentity(db: Executor, customerId: number, input: IdentityInput) {
  await getCustomer(db, customerId);
  const value = normalizeIdentity(input.kind, input.value);
  const owner = await findCustomerByIdentity(db, input.kind, value);
  if (owner && owner.id !== customerId) throw ConflictError("Another customer already has this contact.", { kind: input.kind, value });
  if (!owner) await db.insertInto("customer_identities").values({ customer_id: customerId, kind: input.kind, value }).execute();
  return getCustomer(db, customerId);
}

export async function removeIdentity(db: Executor, customerId: number, identityId: number) {
  const res = await db
    .deleteFrom("customer_identities")
    .where("id", "=", identityId)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
  if (!res.numDeletedRows) throw NotFoundError("Identity");
  return getCustomer(db, customerId);
}

/** The spellings a mainland mobile number may be stored in: with +86, with 86, or the 11 digits alone. */
export function phoneVariants(text: string): string[] {
  const mobile = mainlandMobile(text);
  return mobile ? [`+86${mobile}`, `86${mobile}`, mobile] : [text.replace(/[\s\-().]/g, "")];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Customers a search text names: an email address, a phone number (with or without +86, spaces
 * or dashes) or part of one (its first or last four or more digits), or the start of a name.
 * Index-backed (identity values, their prefixes and reversed suffixes, lower(name) prefix).
 */
export async function customersMatching(db: Executor, text: string, limit = 50): Promise<number[]> {
  const term = text.trim().toLowerCase();
  if (term === "") return [];
  const digits = term.replace(/[\s\-().+]/g, "");
  // Newest first, so a common name's start lists the customers most likely meant.
  let q = db.selectFrom("customers").select("id").where("merged_into_id", "is", null).orderBy("id", "desc").limit(limit);
  if (term.includes("@")) {
    q = q.where("id", "in", (eb) =>
      eb.selectFrom("customer_identities").select("customer_id").where("kind", "=", "email").where("value", "=", term),
    );
  } else if (/^(?:86)?1\d{10}$/.test(digits) || /^\d{12,}$/.test(digits)) {
    q = q.where("id", "in", (eb) =>
      eb.selectFrom("customer_identities").select("customer_id").where("kind", "=", "phone").where("value", "in", phoneVariants(term)),
    );
  } else if (/^\d{4,11}$/.test(digits)) {
    // Part of a number: its first digits (with or without +86) or its last ones (尾号).
    q = q.where("id", "in", (eb) =>
      eb
        .selectFrom("customer_identities")
        .select("customer_id")
        .where("kind", "=", "phone")
        .where((w) =>
          w.or([
            ...[...new Set([digits, digits.replace(/^86/, "")])].flatMap((start) => [
              w("value", "like", `${start}%`),
              w("value", "like", `+86${start}%`),
            ]),
            w(sql`reverse(value)`, "like", `${[...digits].reverse().join("")}%`),
          ]),
        ),
    );
  } else q = q.where((eb) => eb(eb.fn("lower", ["name"]), "like", `${escapeLike(term)}%`));
  return (await q.modifyEnd(plannedWithItsValues).execute()).map((r) => r.id);
}

/** At most this many customers answer one search text (a name's first character can match hundreds). */
const SEARCH_MATCHES = 200;

export async function listCustomers(db: Executor, query: z.output<typeof listCustomersQuery>) {
  let q = db.selectFrom("customers").selectAll().where("merged_into_id", "is", null);
  if (query.q) {
    // The same matching as the search box: a phone however it is typed (or its last digits), an email, a name's start.
    const ids = await customersMatching(db, query.q, SEARCH_MATCHES);
    if (ids.length === 0) return { items: [], nextCursor: null };
    q = q.where("id", "in", ids);
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after) q = q.where("id", "<", Number(after[0]));
  const rows = await q
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    items: await present(db, page),
    nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1].id]) : null,
  };
}

/**
 * Finds the customer a request belongs to by id, email or phone, creating one when the contact
 * is new. Concurrent intakes of the same new contact end with one customer (unique identities).
 */
/** A customer as ticket creation needs them: who, their organization, their tier (the priority score). */
export type ResolvedCustomer = { id: number; organizationId: number | null; tier: string };

/** What a new customer is called when the request gives no name: the email's local part, or the phone. */
export const newCustomerName = (ref: { email?: string; phone?: string; name?: string }) =>
  ref.name ?? ref.email?.split("@")[0] ?? ref.phone ?? "?";

export async function resolveCustomer(
  trx: Executor,
  ref: { id?: number; email?: string; phone?: string; name?: string; identities?: IdentityInput[] },
): Promise<ResolvedCustomer> {
  const follow = async (id: number): Promise<ResolvedCustomer> => {
    const row = await trx
      .selectFrom("customers")
      .select(["id", "merged_into_id", "organization_id", "tier"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw ValidationError([{ path: "customer.id", code: "unknown_reference", message: "Unknown customer." }]);
    return row.merged_into_id ? follow(row.merged_into_id) : { id: row.id, organizationId: row.organization_id, tier: row.tier };
  };
  if (ref.id) return follow(ref.id);
  const identities = identitiesOf(ref);
  for (const i of identities) {
    const found = await findCustomerByIdentity(trx, i.kind, i.value);
    if (found) {
      const customer = found.merged_into_id
        ? await follow(found.merged_into_id)
        : { id: found.id, organizationId: found.organization_id, tier: found.tier };
      // Learn the other contacts given with this request, unless someone else owns them.
      const others = identities.filter((o) => o !== i);
      if (others.length)
        await trx
          .insertInto("customer_identities")
          .values(others.map((o) => ({ customer_id: customer.id, kind: o.kind, value: o.value })))
          .onConflict((oc) => oc.columns(["kind", "value"]).doNothing())
          .execute();
      return customer;
    }
  }
  const name = newCustomerName(ref);
  // Kept prepared (a creation by a new customer's first request): their texts take two forms at most.
  const created = await trx
    .insertInto("customers")
    .values({ name, custom_fields: "{}" })
    .returning(["id", "tier"])
    .modifyEnd(prepared)
    .executeTakeFirstOrThrow();
  const inserted = await trx
    .insertInto("customer_identities")
    .values(identities.map((i) => ({ customer_id: created.id, kind: i.kind, value: i.value })))
    .onConflict((oc) => oc.columns(["kind", "value"]).doNothing())
    .returning("id")
    .modifyEnd(prepared)
    .execute();
  if (inserted.length === 0) {
    // Another request created this contact's customer meanwhile: use theirs.
    await trx.deleteFrom("customers").where("id", "=", created.id).execute();
    const found = await findCustomerByIdentity(trx, identities[0].kind, identities[0].value);
    if (!found) throw ConflictError("Customer contact is being created concurrently; retry.");
    return follow(found.id);
  }
  return { id: created.id, organizationId: null, tier: created.tier };
}

/** What routing rules and the priority score look at: tier, language and custom fields per customer. */
export async function customerRoutingFacts(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, { tier: string; locale: string; customFields: Record<string, unknown> }>();
  const rows = await db.selectFrom("customers").select(["id", "tier", "locale", "custom_fields"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, { tier: r.tier as string, locale: r.locale, customFields: r.custom_fields }]));
}
