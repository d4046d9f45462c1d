import { hashPassword } from "../../platform/auth/passwords";
import type { Principal } from "../../platform/auth/principal";
import { checkThrottle, recordFailure } from "../../platform/auth/attempt-throttle";
import { randomToken, sha256Hex } from "../../platform/auth/secrets";
import type { AppContext } from "../../platform/context";
import { AppError, ConflictError } from "../../platform/errors";
import { getStaff, loadStaffPrincipal, setStaffPasswordHash } from "../staff/staff-service";
import { MailUnavailableError } from "./login-code";

const VALID_DAYS = 7;
const texts = {
  "zh-CN": {
    subject: "邀请您加入 Loopdesk 工单系统",
    body: (name: string, link: string) =>
      `${name}，您好：\n\n管理员邀请您使用 Loopdesk 工单系统。请打开以下链接设置密码并登录：\n${link}\n\n链接 ${VALID_DAYS} 天内有效，只能使用一次。`,
  },
  en: {
    subject: "You are invited to Loopdesk",
    body: (name: string, link: string) =>
      `Hello ${name},\n\nAn administrator invited you to Loopdesk. Open this link to set your password and sign in:\n${link}\n\nThe link works once, for ${VALID_DAYS} days.`,
  },
};

const InvalidInvitationError = () => new AppError(401, "invalid_code", "The invitation link is wrong, used or expired.");

/** Emails a staff member a link to set their password; any earlier invitation stops working. */
export async function sendStaffInvitation(ctx: AppContext, staffId: number) {
  const staff = await getStaff(ctx.db, staffId);
  if (!ctx.mailer.enabled) throw MailUnavailableError();
  if (!staff.active) throw ConflictError("The staff member is deactivated.");
  const token = randomToken();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("staff_invitations")
      .set({ used_at: new Date() })
      .where("staff_id", "=", staffId)
      .where("used_at", "is", null)
      .execute();
    await trx
      .insertInto("staff_invitations")
      .values({ staff_id: staffId, token_hash: sha256Hex(token), expires_at: new Date(Date.now() + VALID_DAYS * 86_400_000) })
      .execute();
    const t = texts[staff.locale === "en" ? "en" : "zh-CN"];
    const link = `${ctx.config.publicUrl}/invite?token=${encodeURIComponent(token)}`;
    await ctx.mailer.queue(trx, { to: staff.email, subject: t.subject, text: t.body(staff.name, link), sensitive: true });
  });
}

/** Sets the invitee's password from the emailed link (once) and signs them in. */
export async function acceptStaffInvitation(ctx: AppContext, input: { token: string; password: string }, ip: string): Promise<Principal> {
  const keys = [{ key: `invite:ip:${ip}`, max: 20 }];
  await checkThrottle(ctx.db, keys, 15 * 60_000);
  const now = new Date();
  const used = await ctx.db
    .updateTable("staff_invitations")
    .set({ used_at: now })
    .where("token_hash", "=", sha256Hex(input.token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("staff_id")
    .executeTakeFirst();
  const principal = used && (await loadStaffPrincipal(ctx.db, used.staff_id));
  if (!used || !principal) {
    await recordFailure(ctx.db, keys);
    throw InvalidInvitationError();
  }
  await setStaffPasswordHash(ctx.db, used.staff_id, await hashPassword(input.password));
  return principal;
}
