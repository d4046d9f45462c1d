import dgram from "node:dgram";
import net from "node:net";
import os from "node:os";
import type { AuditEntry } from "@loopdesk/contracts/security";

/** RFC 5424 facility 13 ("log audit"); severity notice for what happened, warning for a refused attempt. */
const FACILITY = 13;

/** One audit entry as an RFC 5424 syslog message: the entry as JSON in the message part. */
export function syslogMessage(entry: AuditEntry, host = os.hostname()): string {
  const severity = entry.outcome === "failed" ? 4 : 5;
  const header = `<${FACILITY * 8 + severity}>1 ${entry.at} ${host.replace(/\s/g, "-") || "-"} loopdesk ${process.pid} ${entry.action.slice(0, 32).replace(/\s/g, "_")}`;
  return `${header} [loopdesk@32473 id="${entry.id}"] ${JSON.stringify(entry)}`;
}

/**
 * Sends messages to `udp://host:port` (a datagram each) or `tcp://host:port` (octet-counted
 * framing, RFC 6587). Resolves when every message is handed to the network.
 */
export async function sendSyslog(target: string, messages: string[], timeoutMs = 10_000): Promise<void> {
  const url = new URL(target);
  const port = Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol === "udp:") {
    const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
    try {
      for (const m of messages)
        await new Promise<void>((resolve, reject) => socket.send(Buffer.from(m), port, host, (err) => (err ? reject(err) : resolve())));
    } finally {
      socket.close();
    }
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.on("timeout", () => socket.destroy(new Error(`syslog ${target}: no answer within ${timeoutMs / 1000} s`)));
    socket.on("error", reject);
    socket.on("connect", () => {
      const framed = messages.map((m) => `${Buffer.byteLength(m)} ${m}`).join("");
      socket.end(framed, () => resolve());
    });
  });
}
