import iconv from "iconv-lite";
import nodemailer from "nodemailer";

/** Builds raw RFC 5322 messages for intake tests: any charset, base64 or quoted-printable, parts and attachments. */
export type EmlOptions = {
  from: string;
  to?: string;
  subject: string;
  text?: string;
  html?: string;
  /** Body and subject charset (encoded with iconv-lite), default utf-8. */
  charset?: string;
  /** What the headers claim, when it should differ from the real charset (a wrongly declared mail). */
  declaredCharset?: string;
  encoding?: "base64" | "quoted-printable" | "8bit";
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; contentType: string; content: Buffer; cid?: string }[];
  contentType?: string;
};

const wrap = (s: string) => s.replace(/.{1,76}/g, "$&\r\n").trimEnd();

function qp(buf: Buffer) {
  let out = "";
  let line = "";
  for (const byte of buf) {
    const ch =
      byte === 0x0a
        ? "\n"
        : byte >= 33 && byte <= 126 && byte !== 61
          ? String.fromCharCode(byte)
          : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    if (ch === "\n") {
      out += `${line}\r\n`;
      line = "";
      continue;
    }
    if (byte === 0x0d) continue;
    if (line.length + ch.length > 75) {
      out += `${line}=\r\n`;
      line = "";
    }
    line += ch;
  }
  return out + line;
}

/** An RFC 2047 encoded word in the given charset (base64). */
export const encodedWord = (text: string, charset = "utf-8") => `=?${charset}?B?${iconv.encode(text, charset).toString("base64")}?=`;

function textPart(body: string, type: string, charset: string, declared: string, encoding: EmlOptions["encoding"]) {
  const bytes = iconv.encode(body, charset);
  const head = `Content-Type: ${type}; charset="${declared}"\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`;
  const content =
    encoding === "base64" ? wrap(bytes.toString("base64")) : encoding === "quoted-printable" ? qp(bytes) : bytes.toString("latin1");
  return Buffer.from(head + content, "latin1");
}

export function eml(o: EmlOptions): Buffer {
  const charset = o.charset ?? "utf-8";
  const declared = o.declaredCharset ?? charset;
  const encoding = o.encoding ?? "base64";
  const headers: string[] = [
    `From: ${o.from}`,
    `To: ${o.to ?? "support@desk.example.com"}`,
    `Subject: ${/^[\x20-\x7e]*$/.test(o.subject) ? o.subject : encodedWord(o.subject, declared === charset ? charset : declared)}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
  ];
  if (o.messageId !== null) headers.push(`Message-ID: <${o.messageId ?? `${Math.random().toString(36).slice(2)}@mail.example.net`}>`);
  if (o.inReplyTo) headers.push(`In-Reply-To: <${o.inReplyTo}>`);
  if (o.references?.length) headers.push(`References: ${o.references.map((r) => `<${r}>`).join(" ")}`);
  for (const [k, v] of Object.entries(o.headers ?? {})) headers.push(`${k}: ${v}`);
  const parts: Buffer[] = [];
  if (o.text !== undefined) parts.push(textPart(o.text, "text/plain", charset, declared, encoding));
  if (o.html !== undefined) parts.push(textPart(o.html, "text/html", charset, declared, encoding));
  for (const a of o.attachments ?? [])
    parts.push(
      Buffer.from(
        `Content-Type: ${a.contentType}; name="${encodedWord(a.filename)}"\r\nContent-Transfer-Encoding: base64\r\n` +
          (a.cid
            ? `Content-ID: <${a.cid}>\r\nContent-Disposition: inline; filename="${encodedWord(a.filename)}"\r\n`
            : `Content-Disposition: attachment; filename="${encodedWord(a.filename)}"\r\n`) +
          `\r\n${wrap(a.content.toString("base64"))}`,
        "latin1",
      ),
    );
  if (parts.length === 1 && !o.contentType) {
    return Buffer.concat([Buffer.from(`${headers.join("\r\n")}\r\n`, "utf8"), parts[0] as Buffer, Buffer.from("\r\n")]);
  }
  const boundary = `----=_Part_${Math.random().toString(36).slice(2)}`;
  const type = o.contentType ?? "multipart/mixed";
  const chunks: Buffer[] = [Buffer.from(`${headers.join("\r\n")}\r\nContent-Type: ${type}; boundary="${boundary}"\r\n\r\n`, "utf8")];
  for (const p of parts) chunks.push(Buffer.from(`--${boundary}\r\n`), p, Buffer.from("\r\n"));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** Delivers a raw message to an SMTP server on loopback with a real SMTP client; resolves with the server's answer. */
export async function sendRaw(port: number, raw: Buffer, envelope: { from: string; to: string[] }) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ envelope, raw });
  } finally {
    transport.close();
  }
}
