import pino, { type Logger } from "pino";

/** The process logger. Credentials never reach the log: auth headers, cookies and passwords are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        "*.password",
        "*.token",
        "*.csrfToken",
      ],
      censor: "[redacted]",
    },
  });
}
