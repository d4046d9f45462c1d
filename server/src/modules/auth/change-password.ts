import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import { hashPassword, verifyPassword } from "../../platform/auth/passwords";
import { ValidationError } from "../../platform/errors";
import { customerPasswordHash, setCustomerPasswordHash } from "../customers/customer-service";
import { setStaffPasswordHash, staffPasswordHash } from "../staff/staff-service";

/**
 * Sets the signed-in user's password. When one exists, the current password must be given; a
 * customer who has only signed in by emailed code sets their first password without one.
 */
export async function changePassword(db: Kysely<DB>, principal: Principal, input: { currentPassword?: string; newPassword: string }) {
  const current = principal.kind === "staff" ? await staffPasswordHash(db, principal.id) : await customerPasswordHash(db, principal.id);
  if (current && !(await verifyPassword(input.currentPassword ?? "", current)))
    throw ValidationError([{ path: "currentPassword", code: "wrong_password", message: "The current password is wrong." }]);
  const hash = await hashPassword(input.newPassword);
  if (principal.kind === "staff") await setStaffPasswordHash(db, principal.id, hash);
  else await setCustomerPasswordHash(db, principal.id, hash);
}
