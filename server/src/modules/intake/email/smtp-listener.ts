import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
import type { AppContext } from "../../../platform/context";
import { mailboxesFor } from "../mailbox-service";
import { ingestEmail, recordRejected } from "./ingest-email";

export type SmtpListener = { port: number; close: () => Promise<void> };

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/**
 * The built-in inbound SMTP server (point an MX record or a forwarding rule at it). It accepts
 * mail only for configured, active mailboxes, refuses messages over the size limit during the
 * transfer (552), and answers 250 only after the mail is committed — so an acknowledged message
 * is never lost; on a failure the sender gets 451 and retries.
 */
export async function startSmtpListener(ctx: AppContext, opts: { port: number; host: string; maxBytes: number }): Promise<SmtpListener> {
  const server = new SMTPServer({
    name: "loopdesk",
    banner: "Loopdesk inbound mail",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: opts.maxBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      mailboxesFor(ctx.db, [address.address])
        .then((found) => callback(found.length ? undefined : smtpError("No such mailbox here", 550)))
        .catch(() => callback(smtpError("Temporary failure, try again later", 451)));
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= opts.maxBytes) chunks.push(c);
      });
      stream.on("end", () => {
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : null;
        if (stream.sizeExceeded) {
          recordRejected(ctx, { mailbox_id: null, source: "smtp", from_address: from, size }, "too_large")
            .catch((err) => ctx.logger.error({ err }, "could not record a refused mail"))
            .finally(() => callback(smtpError(`Message exceeds the limit of ${opts.maxBytes} bytes`, 552)));
          return;
        }
        ingestEmail(ctx, Buffer.concat(chunks), { source: "smtp", recipients })
          .then((r) => {
            ctx.logger.info({ from, outcome: r.outcome, reason: r.reason, ticketId: r.ticketId }, "inbound mail");
            callback();
          })
          .catch((err) => {
            ctx.logger.error({ err, from }, "inbound mail failed; sender will retry");
            callback(smtpError("Temporary failure, try again later", 451));
          });
      });
    },
  });
  server.on("error", (err) => ctx.logger.error({ err }, "SMTP listener error"));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  ctx.logger.info({ port, host: opts.host }, "SMTP listener for inbound mail");
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
