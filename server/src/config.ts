import path from "node:path";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** A streaming replica of DATABASE_URL that reports and exports read (docs/scaling.md). */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** A direct connection for LISTEN when DATABASE_URL goes through a transaction-pooling proxy (PgBouncer). */
  DATABASE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Keep the hot statements prepared on each connection; off behind a pooler that cannot carry them (PgBouncer before 1.21). */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  LOOPDESK_ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).default("admin@loopdesk.local"),
  LOOPDESK_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  LOOPDESK_DEMO: bool.default(true),
  LOOPDESK_PUBLIC_URL: z.url().optional(),
  LOOPDESK_AUTO_CLOSE_DAYS: z.coerce.number().int().min(1).max(365).default(4),
  LOOPDESK_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(1024).default(20),
  LOOPDESK_MAX_IMPORT_MB: z.coerce.number().int().min(1).max(1024).default(100),
  LOOPDESK_SLA_SWEEP_BATCH: z.coerce.number().int().min(10).max(10_000).default(500),
  /** The embedded engine's page cache (PostgreSQL's shared_buffers); the OS caches the files beneath it too. */
  LOOPDESK_PGLITE_BUFFERS: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, "a size such as 32MB")
    .default("32MB"),
  LOOPDESK_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  LOOPDESK_SECURE_COOKIES: bool.default(false),
  LOOPDESK_TRUST_PROXY: bool.default(false),
  /** Requests per minute: per signed-in person or token; per address on public routes; per address on sign-in routes (0: no limit). */
  LOOPDESK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  LOOPDESK_RATE_LIMIT_PUBLIC_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  LOOPDESK_RATE_LIMIT_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  MAIL_FROM: z.string().trim().min(3).max(300).optional(),
  SMTP_INBOUND_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  SMTP_INBOUND_HOST: z.string().min(1).default("0.0.0.0"),
  LOOPDESK_MAX_EMAIL_MB: z.coerce.number().int().min(1).max(200).default(25),
  IMAP_POLL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  LOOPDESK_DIRECTORY_SYNC_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  /** Backups of the embedded database: where, how often (hours, 0: never), how many are kept. */
  LOOPDESK_BACKUP_DIR: z.string().min(1).optional(),
  LOOPDESK_BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).max(8760).default(24),
  LOOPDESK_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  LOOPDESK_WEBHOOK_RETRY_SECONDS: z.coerce.number().min(0.01).max(3600).default(30),
  /** Key (32 bytes, base64) that encrypts secrets kept in the database; by default one is created in DATA_DIR/secret.key. */
  LOOPDESK_SECRET_KEY: z.string().optional(),
  LOOPDESK_SECRET_KEY_PREVIOUS: z.string().optional(),
  LOOPDESK_TIME_ZONE: z
    .string()
    .default("Asia/Shanghai")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "must be an IANA time zone such as Asia/Shanghai"),
});

/** Variables whose values may hold credentials: never echoed in error messages. */
const SECRET_VARS = new Set([
  "LOOPDESK_ADMIN_PASSWORD",
  "DATABASE_URL",
  "DATABASE_READ_URL",
  "DATABASE_LISTEN_URL",
  "SMTP_URL",
  "LOOPDESK_SECRET_KEY",
  "LOOPDESK_SECRET_KEY_PREVIOUS",
]);

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** A streaming replica for report and export reads (needs databaseUrl). */
  databaseReadUrl: string | undefined;
  /** Where LISTEN connects (default: databaseUrl). */
  databaseListenUrl: string | undefined;
  preparedStatements: boolean;
  adminEmail: string;
  adminPassword: string | undefined;
  demo: boolean;
  publicUrl: string;
  autoCloseDays: number;
  maxUploadBytes: number;
  /** Largest spreadsheet an import accepts. */
  maxImportBytes: number;
  /** Clocks the SLA sweep handles per transaction (a full batch runs again at once). */
  slaSweepBatch: number;
  pgliteBuffers: string;
  sessionDays: number;
  secureCookies: boolean;
  /** Believe X-Forwarded-For (only behind a reverse proxy that sets it): client addresses drive login throttling. */
  trustProxy: boolean;
  /** Requests per minute allowed (0: unlimited): see rate-limit.ts. */
  rateLimits: { perPrincipal: number; publicPerAddress: number; signInPerAddress: number };
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  dbPoolSize: number;
  /** Outgoing mail (one-time sign-in codes, later replies and notifications); undefined: no mail is sent. */
  smtp: { url: string; from: string } | undefined;
  /** The built-in SMTP listener for inbound mail; undefined: off. */
  smtpInbound: { port: number; host: string } | undefined;
  /** Largest inbound email accepted (bytes, whole message). */
  maxEmailBytes: number;
  /** How often IMAP mailboxes are polled. */
  imapPollSeconds: number;
  /** How often staff who came from LDAP are checked against the directory (disabled ones are signed out). */
  directorySyncSeconds: number;
  /** Scheduled backups of the embedded database (intervalHours 0: none; `loopdesk backup` still works). */
  backup: { dir: string; intervalHours: number; keep: number };
  /** First retry delay of a failed webhook delivery; each further retry waits twice as long. */
  webhookRetryBaseMs: number;
  /** The zone whose days and hours reports count in (and scheduled reports are sent in). */
  timeZone: string;
  /** Process role: web serves HTTP, worker runs jobs; "all" does both. */
  role: "all" | "web" | "worker";
  /** Encrypts secrets kept in the database (unset: a key file in the data directory). */
  secretKey?: string;
  /** Keys used before a rotation (comma-separated): what they sealed still opens. */
  previousSecretKeys?: string;
};

export class ConfigError extends Error {}

/** Reads and validates the environment once; a bad value names the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      return `  ${i.path.join(".")}: ${i.message} (got ${SECRET_VARS.has(name) ? "a hidden value" : JSON.stringify(env[name])})`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (!e.DATABASE_URL && (e.DATABASE_READ_URL || e.DATABASE_LISTEN_URL))
    throw new ConfigError(
      "Invalid configuration:\n  DATABASE_READ_URL and DATABASE_LISTEN_URL need DATABASE_URL (the embedded database has no replica)",
    );
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    databaseListenUrl: e.DATABASE_LISTEN_URL,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    adminEmail: e.LOOPDESK_ADMIN_EMAIL,
    adminPassword: e.LOOPDESK_ADMIN_PASSWORD,
    demo: e.LOOPDESK_DEMO,
    publicUrl: e.LOOPDESK_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    autoCloseDays: e.LOOPDESK_AUTO_CLOSE_DAYS,
    maxUploadBytes: e.LOOPDESK_MAX_UPLOAD_MB * 1024 * 1024,
    maxImportBytes: e.LOOPDESK_MAX_IMPORT_MB * 1024 * 1024,
    slaSweepBatch: e.LOOPDESK_SLA_SWEEP_BATCH,
    pgliteBuffers: e.LOOPDESK_PGLITE_BUFFERS,
    sessionDays: e.LOOPDESK_SESSION_DAYS,
    secureCookies: e.LOOPDESK_SECURE_COOKIES,
    trustProxy: e.LOOPDESK_TRUST_PROXY,
    rateLimits: {
      perPrincipal: e.LOOPDESK_RATE_LIMIT_PER_MINUTE,
      publicPerAddress: e.LOOPDESK_RATE_LIMIT_PUBLIC_PER_MINUTE,
      signInPerAddress: e.LOOPDESK_RATE_LIMIT_SIGN_IN_PER_MINUTE,
    },
    logLevel: e.LOG_LEVEL,
    backup: {
      dir: path.resolve(e.LOOPDESK_BACKUP_DIR ?? path.join(e.DATA_DIR, "backups")),
      intervalHours: e.LOOPDESK_BACKUP_INTERVAL_HOURS,
      keep: e.LOOPDESK_BACKUP_KEEP,
    },
    dbPoolSize: e.DB_POOL_SIZE,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.MAIL_FROM ?? `Loopdesk <no-reply@${new URL(e.SMTP_URL).hostname}>` } : undefined,
    smtpInbound: e.SMTP_INBOUND_PORT !== undefined ? { port: e.SMTP_INBOUND_PORT, host: e.SMTP_INBOUND_HOST } : undefined,
    maxEmailBytes: e.LOOPDESK_MAX_EMAIL_MB * 1024 * 1024,
    imapPollSeconds: e.IMAP_POLL_SECONDS,
    directorySyncSeconds: e.LOOPDESK_DIRECTORY_SYNC_SECONDS,
    webhookRetryBaseMs: e.LOOPDESK_WEBHOOK_RETRY_SECONDS * 1000,
    timeZone: e.LOOPDESK_TIME_ZONE,
    role: "all",
    secretKey: e.LOOPDESK_SECRET_KEY,
    previousSecretKeys: e.LOOPDESK_SECRET_KEY_PREVIOUS,
    ...overrides,
  };
}
