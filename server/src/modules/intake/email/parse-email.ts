import { createHash } from "node:crypto";
import type { AddressObject, Attachment } from "mailparser";
import type * as MailParser from "mailparser";
import { lazyModule } from "../../../platform/modules/lazy-module";

const mailparser = lazyModule<typeof MailParser>("mailparser");
import { plausibility } from "./text-plausibility";

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

/** How well a decoding reads: its subject and text together. */
const readability = (m: { text?: string; subject?: string }) => plausibility(`${m.subject ?? ""}\n${m.text ?? ""}`);

/**
 * What mail programs write for the Chinese charsets, as the decoder knows them. GB2312 and GBK
 * are read as GB18030 (their superset); Big5 with Hong Kong's additions as Big5-HKSCS.
 */
const CHARSET_ALIASES: Record<string, string> = {
  gb2312: "gb18030",
  gb_2312: "gb18030",
  "gb_2312-80": "gb18030",
  "gb2312-80": "gb18030",
  "x-gb2312": "gb18030",
  csgb2312: "gb18030",
  "euc-cn": "gb18030",
  "x-euc-cn": "gb18030",
  gbk: "gb18030",
  "x-gbk": "gb18030",
  cp936: "gb18030",
  ms936: "gb18030",
  "windows-936": "gb18030",
  "iso-ir-58": "gb18030",
  chinese: "gb18030",
  big5: "big5",
  big5_tw: "big5",
  "big5-tw": "big5",
  "x-big5": "big5",
  "cn-big5": "big5",
  csbig5: "big5",
  cp950: "big5",
  ms950: "big5",
  "windows-950": "big5",
  "x-x-big5": "big5",
  "big5-hkscs": "big5hkscs",
  big5hkscs: "big5hkscs",
  big5_hkscs: "big5hkscs",
  utf8: "utf-8",
  utf_8: "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  "x-unicode20utf8": "utf-8",
};

/** The raw message with every charset label (parameters and encoded words) in the decoder's spelling. */
export function canonicalCharsets(raw: Buffer): Buffer {
  const text = raw.toString("latin1");
  const name = (label: string) => CHARSET_ALIASES[label.toLowerCase()] ?? label;
  const relabelled = text
    .replace(/(charset\s*=\s*"?)([A-Za-z0-9_.:-]+)/gi, (_m, head: string, label: string) => `${head}${name(label)}`)
    .replace(/=\?([^?*\s]+)((?:\*[^?]*)?\?[BbQq]\?)/g, (_m, label: string, rest: string) => `=?${name(label)}${rest}`);
  return relabelled === text ? raw : Buffer.from(relabelled, "latin1");
}

/** The raw message with every declared charset replaced by this one (for a mislabelled message). */
const relabel = (raw: Buffer, charset: string) =>
  Buffer.from(
    raw
      .toString("latin1")
      .replace(/(charset\s*=\s*"?)([A-Za-z0-9_.:-]+)/gi, (_m, head: string) => `${head}${charset}`)
      .replace(/=\?([^?*\s]+)((?:\*[^?]*)?\?[BbQq]\?)/g, (_m, _label: string, rest: string) => `=?${charset}${rest}`),
    "latin1",
  );

/**
 * Parses a raw message: MIME structure, encoded words, quoted-printable and base64, and the
 * charsets Chinese mail uses (UTF-8, GB2312/GBK/GB18030, Big5, Big5-HKSCS) under any of the names
 * mail programs give them (big5_tw, x-gbk, cp936…). A message whose text still decodes to
 * replacement characters, or mostly of rare ones, is mislabelled (old clients send GB or Big5 bytes
 * marked UTF-8, or Big5 marked GB): it is read again as GB18030 and as Big5, and the reading made
 * most of common characters wins.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const labelled = canonicalCharsets(raw);
  let mail = await mailparser().simpleParser(labelled, { skipTextToHtml: true, skipImageLinks: true });
  const first = readability(mail);
  // Broken or mostly rare characters: probably the wrong charset. The best reading wins.
  if (first.score < 0 || first.suspicious) {
    let best = first.score;
    for (const charset of ["gb18030", "big5"]) {
      const retry = await mailparser().simpleParser(relabel(labelled, charset), { skipTextToHtml: true, skipImageLinks: true });
      const score = readability(retry).score;
      if (score > best) {
        mail = retry;
        best = score;
      }
    }
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
