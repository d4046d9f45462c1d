import type { FastifyReply, FastifyRequest } from "fastify";
import { type Kysely, sql } from "kysely";
import type { Config } from "../../config";
import type { DB } from "../../db/schema";
import { AppError } from "../errors";

const WINDOW_MS = 60_000;

/** Counts hits per key in fixed one-minute windows; answers the count including this hit. */
export interface HitCounter {
  hit(key: string, windowStart: Date): Promise<number>;
}

/** One process (the embedded engine serves one): counts in memory. */
export class MemoryCounter implements HitCounter {
  private readonly windows = new Map<string, number>();
  private current = 0;
  async hit(key: string, windowStart: Date) {
    if (windowStart.getTime() !== this.current) {
      this.windows.clear();
      this.current = windowStart.getTime();
    }
    const n = (this.windows.get(key) ?? 0) + 1;
    this.windows.set(key, n);
    return n;
  }
}

/** Every process on one PostgreSQL shares the counts: one upsert per request, old windows removed once a minute. */
export class PostgresCounter implements HitCounter {
  private cleanedAt = 0;
  constructor(private readonly db: Kysely<DB>) {}
  async hit(key: string, windowStart: Date) {
    if (Date.now() - this.cleanedAt > WINDOW_MS) {
      this.cleanedAt = Date.now();
      await this.db
        .deleteFrom("rate_limit_counters")
        .where("window_start", "<", new Date(windowStart.getTime() - WINDOW_MS))
        .execute();
    }
    const row = await this.db
      .insertInto("rate_limit_counters")
      .values({ key, window_start: windowStart, hits: 1 })
      .onConflict((oc) => oc.columns(["key", "window_start"]).doUpdateSet({ hits: sql`rate_limit_counters.hits + 1` }))
      .returning("hits")
      .executeTakeFirstOrThrow();
    return row.hits;
  }
}

export type RateClass = "principal" | "public" | "sign-in";

/**
 * Which limit a call counts against: a signed-in person or API token by who they are (an office
 * behind one address is many people); anyone else by address — sign-in attempts (password, code,
 * second factor, invitation) most strictly, other public routes (widget, status page, help
 * center feedback, inbound webhooks and mail) more strictly than signed-in work.
 */
export function rateClassOf(req: FastifyRequest, url: string): { cls: RateClass; key: string } {
  const auth = req.auth;
  if (auth) return { cls: "principal", key: `${auth.via === "token" ? "token" : auth.principal.kind}:${auth.principal.id}` };
  const signIn = url.startsWith("/api/v1/auth/") && req.method !== "GET";
  return { cls: signIn ? "sign-in" : "public", key: `ip:${req.ip}` };
}

/** Enforces the limits of a call: `RateLimit-*` headers on every answer, 429 with `Retry-After` past the limit. */
export function rateLimiter(counter: HitCounter, limits: Config["rateLimits"]) {
  const limitOf: Record<RateClass, number> = {
    principal: limits.perPrincipal,
    public: limits.publicPerAddress,
    "sign-in": limits.signInPerAddress,
  };
  return async (req: FastifyRequest, reply: FastifyReply, url: string) => {
    const { cls, key } = rateClassOf(req, url);
    const limit = limitOf[cls];
    if (!limit) return;
    const now = Date.now();
    const windowStart = new Date(now - (now % WINDOW_MS));
    const hits = await counter.hit(`${cls}:${key}`, windowStart);
    const reset = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now) / 1000));
    reply.header("RateLimit-Policy", `${limit};w=${WINDOW_MS / 1000}`);
    reply.header("RateLimit-Limit", String(limit));
    reply.header("RateLimit-Remaining", String(Math.max(0, limit - hits)));
    reply.header("RateLimit-Reset", String(reset));
    if (hits > limit)
      throw new AppError(429, "too_many_requests", `Too many requests: at most ${limit} a minute. Try again in ${reset} s.`, undefined, {
        "Retry-After": String(reset),
      });
  };
}
