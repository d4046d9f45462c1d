import type { SecretBox } from "./auth/secret-box";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { Engine } from "../db/database";
import type { ReadRouter } from "../db/read-router";
import type { DB } from "../db/schema";
import type { EventBus } from "./events/event-bus";
import type { FileStore } from "./files/file-store";
import type { JobQueue } from "./jobs/job-queue";
import type { Mailer } from "./mail/mailer";
import type { RealtimeHub } from "./realtime/realtime-hub";

/** What every module's services receive: no module reads process.env or opens its own connections. */
export type AppContext = {
  config: Config;
  db: Kysely<DB>;
  /** Where reports and exports read (a caught-up replica, else db). */
  reads: ReadRouter;
  engine: Engine;
  logger: Logger;
  jobs: JobQueue;
  events: EventBus;
  files: FileStore;
  realtime: RealtimeHub;
  mailer: Mailer;
  secrets: SecretBox;
};
