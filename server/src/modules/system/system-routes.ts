import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";

const jobStat = z.object({ queue: z.string(), status: z.string(), count: z.number() });

/** Operator endpoints: what the background workers are doing. */
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
}
