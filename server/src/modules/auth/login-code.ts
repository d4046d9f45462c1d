import { randomInt, timingSafeEqual } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import { checkThrottle, recordFailure } from "../../platform/auth/attempt-throttle";
import { randomToken, sha256Hex } from "../../platform/auth/secrets";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import { findCustomerByIdentity, loadCustomerPrincipal } from "../customers/customer-service";
import { loginCodeMail } from "./login-code-mail";

const VALID_MINUTES = 10;
const MAX_WRONG_GUESSES = 5;
const WINDOW_MS = 15 * 60_000;

export const MailUnavailableError = () =>
  new AppError(409, "mail_unavailable", "Sign-in by email is not available: outgoing mail is not configured.");
const InvalidCodeError = () => new AppError(401, "invalid_code", "The code or link is wrong, used or expired.");

const codeHash = (customerId: number, code: string) => sha256Hex(`${customerId}:${code}`);

/**
 * Sends a one-time code and link to a customer's email. The answer is the same whether or not
 * the address belongs to a customer, so it cannot be used to find out who is one; requests are
 * throttled per address and per client.
 */
export async function requestLoginCode(ctx: AppContext, input: { email: string; ip: string }) {
  if (!ctx.mailer.enabled) throw MailUnavailableError();
  const keys = [
    { key: `code-request:${input.email}`, max: 5 },
    { key: `code-request:ip:${input.ip}`, max: 30 },
  ];
  await checkThrottle(ctx.db, keys, WINDOW_MS);
  await recordFailure(ctx.db, keys); // every request counts, successful or not
  const found = await findCustomerByIdentity(ctx.db, "email", input.email);
  if (!found) return;
  const customer = await loadCustomerPrincipal(ctx.db, found.merged_into_id ?? found.id);
  if (!customer) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const link = randomToken();
  await ctx.db.transaction().execute(async (trx) => {
    // Only the newest code works.
    await trx
      .updateTable("login_codes")
      .set({ used_at: new Date() })
      .where("customer_id", "=", customer.id)
      .where("used_at", "is", null)
      .execute();
    await trx
      .insertInto("login_codes")
      .values({
        customer_id: customer.id,
        code_hash: codeHash(customer.id, code),
        link_hash: sha256Hex(link),
        expires_at: new Date(Date.now() + VALID_MINUTES * 60_000),
      })
      .execute();
    const url = `${ctx.config.publicUrl}/portal/code?token=${encodeURIComponent(link)}`;
    await ctx.mailer.queue(trx, loginCodeMail(input.email, customer.locale, code, url, VALID_MINUTES));
  });
}

/** Signs a customer in with the code from the mail (email + code) or its link (token). */
export async function verifyLoginCode(
  db: Kysely<DB>,
  input: { email: string; code: string } | { token: string },
  ip: string,
): Promise<Principal> {
  const keys = [{ key: `code-verify:ip:${ip}`, max: 30 }, ...("email" in input ? [{ key: `code-verify:${input.email}`, max: 10 }] : [])];
  await checkThrottle(db, keys, WINDOW_MS);
  const fail = async () => {
    await recordFailure(db, keys);
    return InvalidCodeError();
  };
  const now = new Date();
  if ("token" in input) {
    const used = await db
      .updateTable("login_codes")
      .set({ used_at: now })
      .where("link_hash", "=", sha256Hex(input.token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning("customer_id")
      .executeTakeFirst();
    const principal = used && (await loadCustomerPrincipal(db, used.customer_id));
    if (!principal) throw await fail();
    return principal;
  }
  const found = await findCustomerByIdentity(db, "email", input.email);
  const customerId = found?.merged_into_id ?? found?.id;
  const current =
    customerId &&
    (await db
      .selectFrom("login_codes")
      .select(["id", "code_hash", "attempts"])
      .where("customer_id", "=", customerId)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .orderBy("id", "desc")
      .executeTakeFirst());
  if (!customerId || !current || current.attempts >= MAX_WRONG_GUESSES) throw await fail();
  const given = Buffer.from(codeHash(customerId, input.code));
  if (!timingSafeEqual(given, Buffer.from(current.code_hash))) {
    await db.updateTable("login_codes").set({ attempts: sql`attempts + 1` }).where("id", "=", current.id).execute();
    throw await fail();
  }
  // Single use, also against a concurrent second try with the same code.
  const claimed = await db
    .updateTable("login_codes")
    .set({ used_at: now })
    .where("id", "=", current.id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  const principal = claimed.numUpdatedRows ? await loadCustomerPrincipal(db, customerId) : undefined;
  if (!principal) throw await fail();
  return principal;
}
