import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import { verifyPassword } from "../../platform/auth/passwords";
import { AppError, TooManyRequestsError } from "../../platform/errors";
import { findCustomerByIdentity, loadCustomerPrincipal } from "../customers/customer-service";
import { findStaffByEmail, loadStaffPrincipal } from "../staff/staff-service";

const WINDOW_MS = 15 * 60_000;
const MAX_PER_ACCOUNT = 5;
const MAX_PER_IP = 30;

export const InvalidCredentialsError = () => new AppError(401, "unauthorized", "Wrong email or password.");

async function checkThrottle(db: Kysely<DB>, keys: { key: string; max: number }[]) {
  const since = new Date(Date.now() - WINDOW_MS);
  for (const { key, max } of keys) {
    const rows = await db
      .selectFrom("login_failures")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("failed_at").as("first")])
      .where("key", "=", key)
      .where("failed_at", ">", since)
      .executeTakeFirstOrThrow();
    if (Number(rows.n) >= max) {
      const first = rows.first ? new Date(rows.first as Date).getTime() : Date.now();
      throw TooManyRequestsError(Math.max(1, Math.ceil((first + WINDOW_MS - Date.now()) / 1000)));
    }
  }
}

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
  await checkThrottle(db, [
    { key: accountKey, max: MAX_PER_ACCOUNT },
    { key: ipKey, max: MAX_PER_IP },
  ]);
  let principal: Principal | undefined;
  if (input.as === "staff") {
    const staff = await findStaffByEmail(db, input.email);
    if ((await verifyPassword(input.password, staff?.password_hash)) && staff) principal = await loadStaffPrincipal(db, staff.id);
  } else {
    const found = await findCustomerByIdentity(db, "email", input.email);
    if ((await verifyPassword(input.password, found?.password_hash)) && found) principal = await loadCustomerPrincipal(db, found.id);
  }
  if (!principal) {
    await db
      .insertInto("login_failures")
      .values([{ key: accountKey }, { key: ipKey }])
      .execute();
    throw InvalidCredentialsError();
  }
  await db.deleteFrom("login_failures").where("key", "=", accountKey).execute();
  return principal;
}
