import type { ParsedEmail } from "./parse-email";

export type LoopReason = "auto_reply" | "bounce" | "bulk" | "own_address" | "no_sender";

const AUTO_SUBJECT =
  /^(auto(matic)?[ -]?reply|out of (the )?office|自动回复|自動回覆|休假|不在办公室|delivery status notification|undeliver(ed|able)|returned mail|mail delivery failed|退信|系统退信)/i;
const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|no-?reply-bounce|bounces?)([+@])/i;

/**
 * Why a message must not become a ticket or get a reply, or null: auto-replies (RFC 3834
 * Auto-Submitted, vendor headers, out-of-office subjects), bounces (delivery reports, mailer
 * daemons), bulk and list mail, and mail from our own addresses — any of which could start a mail
 * loop with the sender's robot.
 */
export function loopReason(mail: ParsedEmail, ownAddresses: ReadonlySet<string>): LoopReason | null {
  const h = mail.headers;
  if (!mail.from) return "no_sender";
  if (ownAddresses.has(mail.from.address)) return "own_address";
  if (
    mail.contentType.startsWith("multipart/report") ||
    DAEMON.test(mail.from.address) ||
    (h.get("return-path") ?? "").trim() === "<>" ||
    h.has("x-failed-recipients")
  )
    return "bounce";
  const autoSubmitted = (h.get("auto-submitted") ?? "no").trim().toLowerCase();
  if (autoSubmitted !== "no" && autoSubmitted !== "") return "auto_reply";
  if (h.has("x-autoreply") || h.has("x-autorespond") || h.has("x-autoreply-from") || h.has("x-mail-autoreply")) return "auto_reply";
  if (/^(all|oof|autoreply)$/i.test((h.get("x-auto-response-suppress") ?? "").trim()) && AUTO_SUBJECT.test(mail.subject))
    return "auto_reply";
  if (AUTO_SUBJECT.test(mail.subject)) return "auto_reply";
  const precedence = (h.get("precedence") ?? "").trim().toLowerCase();
  if (precedence === "bulk" || precedence === "list" || precedence === "junk" || precedence === "auto_reply") return "bulk";
  if (h.has("list-id") || h.has("list-unsubscribe")) return "bulk";
  return null;
}
