import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import { reassignCustomerCalls } from "../intake/phone/log-call";
import { reassignCustomerTickets } from "../tickets/reassign-customer-tickets";
import { getCustomer } from "./customer-service";

const TIER_RANK = ["normal", "silver", "gold", "vip"];

/**
 * Merges a duplicate customer into another (the same person who wrote by email and called from
 * a phone): their contacts, tickets, messages and calls move to the customer kept, whose details
 * win, with gaps filled from the duplicate and the higher tier kept. The duplicate stays as a
 * pointer (merged_into_id), so anything still naming it resolves to the customer kept. One
 * transaction; both rows are locked in id order so two opposite merges cannot deadlock.
 */
export async function mergeCustomers(ctx: AppContext, principal: StaffPrincipal, keepId: number, duplicateId: number) {
  if (keepId === duplicateId)
    throw ValidationError([{ path: "customerId", code: "same_customer", message: "A customer cannot be merged into itself." }]);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom("customers").selectAll().where("id", "in", [keepId, duplicateId]).orderBy("id").forUpdate().execute();
    const keep = rows.find((r) => r.id === keepId);
    const dup = rows.find((r) => r.id === duplicateId);
    if (!keep || !dup) throw NotFoundError("Customer");
    if (keep.merged_into_id !== null || dup.merged_into_id !== null) throw ConflictError("This customer was merged into another already.");

    await trx.updateTable("customer_identities").set({ customer_id: keepId }).where("customer_id", "=", duplicateId).execute();
    const actor = { type: "staff" as const, id: principal.id };
    const tickets = await reassignCustomerTickets(ctx, trx, duplicateId, keepId, actor);
    await reassignCustomerCalls(trx, duplicateId, keepId);
    const tier = TIER_RANK.indexOf(dup.tier) > TIER_RANK.indexOf(keep.tier) ? dup.tier : keep.tier;
    await trx
      .updateTable("customers")
      .set({
        tier,
        organization_id: keep.organization_id ?? dup.organization_id,
        is_org_contact: keep.is_org_contact || dup.is_org_contact,
        password_hash: keep.password_hash ?? dup.password_hash,
        custom_fields: JSON.stringify({ ...(dup.custom_fields ?? {}), ...(keep.custom_fields ?? {}) }),
        updated_at: new Date(),
      })
      .where("id", "=", keepId)
      .execute();
    await trx.updateTable("customers").set({ merged_into_id: keepId, updated_at: new Date() }).where("id", "=", duplicateId).execute();
    await trx.deleteFrom("login_codes").where("customer_id", "=", duplicateId).execute();
    ctx.logger.info({ keepId, duplicateId, tickets, by: principal.id }, "customers merged");
    return { customer: await getCustomer(trx, keepId), movedTickets: tickets };
  });
}
