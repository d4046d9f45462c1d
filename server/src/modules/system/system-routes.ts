import type { FastifyInstance } from "fastify";
import { isoDate } from "@loopdesk/contracts/common";
import { z } from "zod";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { lastUpkeep } from "../../platform/jobs/embedded-upkeep";
import { creationQueueOf } from "../tickets/creation-queue";

const jobStat = z.object({ queue: z.string(), status: z.string(), count: z.number() });
const databaseStatus = z.object({
  engine: z.enum(["pglite", "postgres"]),
  /** Null without DATABASE_READ_URL. */
  readReplica: z
    .object({
      reachable: z.boolean(),
      standby: z.boolean(),
      lagBytes: z.number().nullable(),
      reads: z.object({ replica: z.number(), primary: z.number() }),
    })
    .nullable(),
  /** Tickets created by POST /api/v1/tickets since start, and the transactions they shared. */
  ticketCreation: z.object({ tickets: z.number(), transactions: z.number() }),
  /** The embedded engine's last upkeep since start (tables vacuumed and analysed); null before it, and on PostgreSQL (autovacuum). */
  upkeep: z
    .object({
      at: isoDate,
      tables: z.array(z.object({ name: z.string(), pagesBefore: z.number(), ms: z.number() })),
    })
    .nullable(),
});

/** Operator endpoints: what the background workers are doing, and the database. */
export function registerSystemRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/system/jobs",
    summary: "Background job counts by queue and status (admin)",
    tags: ["system"],
    access: ["admin"],
    responses: { 200: z.object({ items: z.array(jobStat) }) },
    handler: async () => ({ items: (await ctx.jobs.stats()).map((r) => ({ ...r, count: Number(r.count) })) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/system/database",
    summary:
      "The database engine and, with DATABASE_READ_URL, the replica: reachable, WAL still to replay, report reads by where they went (admin)",
    tags: ["system"],
    access: ["admin"],
    responses: { 200: databaseStatus },
    handler: async () => ({
      engine: ctx.engine,
      readReplica: await ctx.reads.status(),
      ticketCreation: { ...creationQueueOf(ctx).written },
      upkeep: lastUpkeep(ctx),
    }),
  });
}
