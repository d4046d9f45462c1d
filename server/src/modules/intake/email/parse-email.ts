import { createHash } from "node:crypto";
import { type AddressObject, type Attachment, simpleParser } from "mailparser";

export type ParsedAttachment = { filename: string; contentType: string; content: Buffer; contentId: string | null; inline: boolean };

export type ParsedEmail = {
  /** Without angle brackets; a digest of the raw bytes when the sender gave none. */
  messageId: string;
  hasOwnMessageId: boolean;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string } | null;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** Lower-case header name → raw value, for the loop guard. */
  headers: Map<string, string>;
  contentType: string;
};

const bracketed = (v: string) =>
  v
    .split(/[\s,]+/)
    .map((id) => id.trim().replace(/^<|>$/g, ""))
    .filter((id) => id.length > 0 && id.length <= 500);

const idList = (v: string | string[] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap(bracketed));

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).flatMap((v) => (v.address ? [v.address.toLowerCase()] : []));

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters (NUL above all) cannot be stored as text
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** Text as it can be stored and shown: no NUL or other control characters. */
const clean = (s: string) => s.replace(CONTROL, "");

const REPLACEMENT = /\uFFFD/g;
const countBroken = (m: { text?: string; subject?: string }) =>
  ((m.text ?? "").match(REPLACEMENT)?.length ?? 0) + ((m.subject ?? "").match(REPLACEMENT)?.length ?? 0);

/**
 * Parses a raw message: MIME structure, encoded words, quoted-printable and base64, and the
 * charsets Chinese mail uses (UTF-8, GB2312/GBK/GB18030, Big5). Mail that declares UTF-8 (or
 * nothing) but is really GB-encoded — common with older clients — decodes to replacement
 * characters; it is then read again as GB18030 and the better reading wins.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  let mail = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  const broken = countBroken(mail);
  if (broken > 0) {
    const relabelled = Buffer.from(
      raw.toString("latin1").replace(/charset\s*=\s*"?(utf-?8|us-ascii|iso-8859-1)"?/gi, "charset=gb18030"),
      "latin1",
    );
    const retry = await simpleParser(relabelled, { skipTextToHtml: true, skipImageLinks: true });
    if (countBroken(retry) < broken) mail = retry;
  }
  // The raw header lines: mailparser folds some (List-*) into structured values.
  const headers = new Map<string, string>();
  for (const h of mail.headerLines) headers.set(h.key.toLowerCase(), h.line.slice(h.line.indexOf(":") + 1).trim());
  const fromValue = (mail.from?.value ?? [])[0];
  const ownId = mail.messageId ? bracketed(mail.messageId)[0] : undefined;
  return {
    messageId: ownId ?? `sha256.${createHash("sha256").update(raw).digest("hex")}@loopdesk.invalid`,
    hasOwnMessageId: ownId !== undefined,
    inReplyTo: idList(mail.inReplyTo),
    references: idList(mail.references),
    from: fromValue?.address
      ? { address: fromValue.address.toLowerCase().slice(0, 320), name: clean(fromValue.name || "").slice(0, 200) }
      : null,
    to: [...addresses(mail.to), ...addresses(mail.cc)],
    subject: clean(mail.subject ?? "").trim(),
    text: clean(mail.text ?? ""),
    html: typeof mail.html === "string" ? clean(mail.html) : null,
    attachments: mail.attachments.map(toAttachment),
    headers,
    contentType: (headers.get("content-type") ?? "text/plain").toLowerCase(),
  };
}

function toAttachment(a: Attachment): ParsedAttachment {
  // Malformed MIME can leave mailparser's fields missing or not strings: never trust their types.
  const type = typeof a.contentType === "string" && a.contentType ? a.contentType.toLowerCase() : "application/octet-stream";
  const name = typeof a.filename === "string" ? clean(a.filename) : "";
  return {
    filename: name || (type.startsWith("image/") ? `image.${type.slice(6)}` : "attachment.bin"),
    contentType: type,
    content: Buffer.isBuffer(a.content) ? a.content : Buffer.alloc(0),
    contentId: typeof a.contentId === "string" && a.contentId ? a.contentId.replace(/^<|>$/g, "") : null,
    inline: a.contentDisposition === "inline" || a.related === true,
  };
}
