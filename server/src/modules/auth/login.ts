import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import { verifyPassword } from "../../platform/auth/passwords";
import { checkThrottle, clearFailures, recordFailure } from "../../platform/auth/attempt-throttle";
import { AppError } from "../../platform/errors";
import { findCustomerByIdentity, loadCustomerPrincipal } from "../customers/customer-service";
import { findStaffByEmail, loadStaffPrincipal } from "../staff/staff-service";

const WINDOW_MS = 15 * 60_000;
const MAX_PER_ACCOUNT = 5;
const MAX_PER_IP = 30;

export const InvalidCredentialsError = () => new AppError(401, "unauthorized", "Wrong email or password.");

/**
 * Password sign-in for staff or customers. Failures are counted per account and per address;
 * past the limit the answer is 429 with Retry-After, even for the right password.
 */
export async function login(
  db: Kysely<DB>,
  input: { email: string; password: string; as: "staff" | "customer"; ip: string },
): Promise<Principal> {
  const accountKey = `${input.as}:${input.email}`;
  const ipKey = `ip:${input.ip}`;
  const keys = [
    { key: accountKey, max: MAX_PER_ACCOUNT },
    { key: ipKey, max: MAX_PER_IP },
  ];
  await checkThrottle(db, keys, WINDOW_MS);
  let principal: Principal | undefined;
  if (input.as === "staff") {
    const staff = await findStaffByEmail(db, input.email);
    if ((await verifyPassword(input.password, staff?.password_hash)) && staff) principal = await loadStaffPrincipal(db, staff.id);
  } else {
    const found = await findCustomerByIdentity(db, "email", input.email);
    if ((await verifyPassword(input.password, found?.password_hash)) && found) principal = await loadCustomerPrincipal(db, found.id);
  }
  if (!principal) {
    await recordFailure(db, keys);
    throw InvalidCredentialsError();
  }
  await clearFailures(db, accountKey);
  return principal;
}
