import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import { verifyPassword } from "../../platform/auth/passwords";
import { checkThrottle, clearFailures, recordFailure } from "../../platform/auth/attempt-throttle";
import { AppError } from "../../platform/errors";
import { findCustomerByIdentity, loadCustomerPrincipal } from "../customers/customer-service";
import { findStaffByEmail, loadStaffPrincipal } from "../staff/staff-service";

const WINDOW_MS = 15 * 60_000;
/** Wrong passwords for one account from one address before it waits: 30 s, then twice as long each time. */
const MAX_PER_ACCOUNT_AND_ADDRESS = 5;
const FIRST_DELAY_MS = 30_000;
/** Wrong passwords for one account from anywhere (a spread-out guess) before browsers it never signed in from are refused. */
const MAX_PER_ACCOUNT = 50;
const MAX_PER_IP = 30;

export const InvalidCredentialsError = () => new AppError(401, "unauthorized", "Wrong email or password.");

export type LoginInput = {
  email: string;
  password: string;
  as: "staff" | "customer";
  ip: string;
  /** The browser signed in to this account before (its device cookie checks out): a guesser elsewhere does not lock it out. */
  knownDevice: boolean;
  /** Whether this staff member may use their Loopdesk password (single sign-on may allow break-glass accounts only). */
  passwordAllowed?: (staff: { break_glass: boolean; sso_source: string | null }) => boolean;
  /** The company directory (LDAP): a principal for a right password there, null otherwise. */
  directory?: (email: string, password: string) => Promise<Principal | null>;
};

export const accountKeyOf = (as: "staff" | "customer", email: string) => `${as}:${email.trim().toLowerCase()}`;

/**
 * Password sign-in for staff or customers. Wrong passwords are counted per address, per account
 * and address (growing delays), and per account: someone guessing from one place waits longer and
 * longer there while the real person signs in from elsewhere; a guess spread over many addresses
 * closes the account to browsers it never signed in from, not to the person's own. Past a limit
 * the answer is 429 with Retry-After, even for the right password.
 */
export async function login(db: Kysely<DB>, input: LoginInput): Promise<{ principal: Principal; method: "password" | "ldap" }> {
  const accountKey = accountKeyOf(input.as, input.email);
  const pairKey = `${accountKey}@${input.ip}`;
  const keys = [
    { key: `ip:${input.ip}`, max: MAX_PER_IP },
    { key: pairKey, max: MAX_PER_ACCOUNT_AND_ADDRESS, growingFromMs: FIRST_DELAY_MS },
    { key: accountKey, max: MAX_PER_ACCOUNT },
  ];
  await checkThrottle(
    db,
    keys.filter((k) => !(input.knownDevice && k.key === accountKey)),
    WINDOW_MS,
  );
  let principal: Principal | undefined;
  let method: "password" | "ldap" = "password";
  if (input.as === "staff") {
    const staff = await findStaffByEmail(db, input.email);
    const local = !!staff && (input.passwordAllowed?.(staff) ?? true);
    if (local && (await verifyPassword(input.password, staff?.password_hash)) && staff) principal = await loadStaffPrincipal(db, staff.id);
    else if (input.directory && !staff?.break_glass) {
      principal = (await input.directory(input.email, input.password)) ?? undefined;
      method = "ldap";
    }
  } else {
    const found = await findCustomerByIdentity(db, "email", input.email);
    if ((await verifyPassword(input.password, found?.password_hash)) && found) principal = await loadCustomerPrincipal(db, found.id);
  }
  if (!principal) {
    await recordFailure(db, keys);
    throw InvalidCredentialsError();
  }
  await clearFailures(db, pairKey);
  return { principal, method };
}
