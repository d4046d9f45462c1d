import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { StaffRole } from "@loopdesk/contracts/staff";
import type { DB } from "../../db/schema";
import { AppError, CsrfError, ForbiddenError, UnauthorizedError, ValidationError } from "../errors";
import type { Authentication, CustomerPrincipal, Principal, StaffPrincipal } from "../auth/principal";
import { type AuditEntry, actorOf } from "../audit/audit-log";
import { parseInput } from "./validate";
import { registerOperation } from "./openapi";

declare module "fastify" {
  interface FastifyRequest {
    auth?: Authentication;
    /** Domain events this process had written when the request began (realtime pokes after it). */
    eventsBefore?: number;
  }
  interface FastifyInstance {
    /** Writes audit entries and reads the rows they describe (installed before routes are registered). */
    auditLog: AuditLog;
    /** Counts a call against its rate limit; throws 429 past it (see rate-limit.ts). */
    rateLimit: (req: FastifyRequest, reply: FastifyReply, url: string) => Promise<void>;
  }
}

export type AuditLog = {
  record: (entry: AuditEntry) => Promise<void>;
  snapshot: (table: keyof DB, id: number | string) => Promise<Record<string, unknown> | undefined>;
};

/**
 * What the audit log records of a call. Writes that only administrators or supervisors may make
 * (configuration, roles, people) are recorded by default as `<resource>.<create|update|delete>`;
 * other routes opt in. With a table, the row the call is about (its `:id`, the created row's id,
 * or the given id of a settings row) is recorded before and after.
 */
export type RouteAudit = { action?: string; table?: keyof DB; id?: number; targetType?: string };

/** Who may call: nobody signed in, any principal, any staff member, staff with given roles, or customers. */
export type Access = "public" | "any" | "staff" | "customer" | readonly StaffRole[];

type PrincipalFor<A extends Access> = A extends "public"
  ? Principal | undefined
  : A extends "customer"
    ? CustomerPrincipal
    : A extends "any"
      ? Principal
      : StaffPrincipal;

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type RouteSpec<A extends Access, B, Q, P> = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: string;
  summary: string;
  tags: string[];
  access: A;
  body?: B;
  query?: Q;
  params?: P;
  /** Documented responses; the first 2xx entry is the success body. */
  responses?: Record<number, z.ZodType | null>;
  /** Body bytes allowed for this route (defaults to the server's limit). */
  bodyLimit?: number;
  /** Open to a session that must set up two-factor sign-in first (the person's own account and enrolment). */
  duringEnrolment?: true;
  /** Recorded in the audit log (see RouteAudit); false for a managers' write that changes nothing (a preview). */
  audit?: RouteAudit | false;
  handler: (input: {
    req: FastifyRequest;
    reply: FastifyReply;
    principal: PrincipalFor<A>;
    body: Out<B>;
    query: Out<Q>;
    params: Out<P>;
  }) => Promise<unknown>;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Last URL segments that name an action rather than a collection (POST /classification/train). */
const ACTION_WORDS = new Set(["run", "import", "train", "poll", "test", "publish", "migrate", "resend", "cancel", "route"]);
const VERBS: Record<string, string> = { POST: "create", PUT: "update", PATCH: "update", DELETE: "delete" };

/** The audit log's view of a route, or undefined when it is not recorded. */
export function auditOf(spec: Pick<RouteSpec<Access, unknown, unknown, unknown>, "method" | "url" | "access" | "audit">) {
  if (spec.audit === false) return undefined;
  const managersOnly = Array.isArray(spec.access) && !spec.access.includes("agent");
  if (!spec.audit && (spec.method === "GET" || !managersOnly)) return undefined;
  const parts = spec.url.replace(/^\/api\/v1\//, "").split("/");
  const resource = parts.filter((p) => !p.startsWith(":")).join(".");
  // POST /processes/:id/publish is the action "processes.publish"; PATCH /processes/:id is "processes.update".
  const last = parts[parts.length - 1] ?? "";
  const isAction =
    spec.method === "POST" && parts.length > 1 && !last.startsWith(":") && (parts.some((p) => p.startsWith(":")) || ACTION_WORDS.has(last));
  return {
    action: spec.audit?.action ?? (isAction ? resource : `${resource}.${VERBS[spec.method] ?? spec.method.toLowerCase()}`),
    targetType: spec.audit?.targetType ?? spec.audit?.table ?? parts.filter((p) => !p.startsWith(":"))[0] ?? resource,
    table: spec.audit?.table,
    id: spec.audit?.id,
  };
}

/**
 * The scope an API token needs for a route: reading reports needs `analytics`, intake from other systems
 * `intake`, the managers' settings `admin`, token and password changes `admin`, other reads
 * `tickets:read` and other writes `tickets:write`. Sessions are not limited by scopes.
 */
export function scopeOf(spec: Pick<RouteSpec<Access, unknown, unknown, unknown>, "method" | "access" | "tags">): string {
  if (spec.tags.includes("analytics") && spec.method === "GET") return "analytics";
  if (spec.tags.includes("intake")) return "intake";
  if (Array.isArray(spec.access) && !spec.access.includes("agent")) return "admin";
  if (spec.tags.includes("auth") && spec.method !== "GET") return "admin";
  return spec.method === "GET" ? "tickets:read" : "tickets:write";
}

/** Recorded reads waiting for their answer to be sent (see onSend in route()). */
const recordedReads = new WeakMap<FastifyRequest, AuditEntry>();

/**
 * One route, its steps in order: authenticate → rate limit → authorize by role and scope → CSRF →
 * validate → handler (→ audit log).
 * The same spec is recorded for the OpenAPI document.
 */
export function route<
  A extends Access,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(app: FastifyInstance, spec: RouteSpec<A, B, Q, P>): void {
  const audit = auditOf(spec);
  const scope = scopeOf(spec);
  registerOperation({ ...spec, auditAction: audit?.action, tokenScope: spec.access === "public" ? undefined : scope });
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit,
    // A recorded read (an export, a download) is recorded as its answer starts, and only if it
    // succeeded: the handler sends the data itself, and the entry must exist before the client has it.
    onSend:
      audit && spec.method === "GET"
        ? async (req, reply, payload) => {
            const entry = recordedReads.get(req);
            recordedReads.delete(req);
            if (entry && reply.statusCode < 400) await app.auditLog.record(entry);
            return payload;
          }
        : undefined,
    handler: async (req, reply) => {
      await app.rateLimit(req, reply, spec.url);
      const principal = authorize(req, spec.access);
      if (req.auth?.needsTwoFactor && !spec.duringEnrolment)
        throw new AppError(403, "two_factor_required", "Set up two-factor sign-in first: your role requires it.");
      if (req.auth?.via === "token" && spec.access !== "public" && !req.auth.scopes?.includes(scope))
        throw new AppError(403, "insufficient_scope", `This API token lacks the scope ${scope}.`, { scope });
      if (req.auth?.via === "session" && !SAFE_METHODS.has(req.method)) {
        const header = req.headers["x-csrf-token"];
        if (typeof header !== "string" || header !== req.auth.csrfToken) throw CsrfError();
      }
      const body = (spec.body ? parseInput(spec.body, req.body ?? {}) : undefined) as Out<B>;
      // A change that names no field has nothing to do (and an empty UPDATE is not SQL).
      if (spec.method === "PATCH" && body && typeof body === "object" && Object.values(body).every((v) => v === undefined))
        throw ValidationError([{ path: "", code: "empty_change", message: "Name at least one field to change." }]);
      const query = (spec.query ? parseInput(spec.query, req.query ?? {}) : undefined) as Out<Q>;
      const params = (spec.params ? parseInput(spec.params, req.params ?? {}) : undefined) as Out<P>;
      const targetId = audit?.id ?? (params as { id?: number | string } | undefined)?.id;
      const before = audit?.table && targetId !== undefined ? await app.auditLog.snapshot(audit.table, targetId) : undefined;
      if (audit && spec.method === "GET")
        recordedReads.set(req, {
          action: audit.action,
          actor: actorOf(req.auth),
          ip: req.ip,
          target: { type: audit.targetType, id: targetId ?? null },
          ...(query ? { detail: { query } } : {}),
        });
      const result = await spec.handler({ req, reply, principal: principal as PrincipalFor<A>, body, query, params });
      if (audit && spec.method !== "GET") {
        const createdId = targetId ?? (result as { id?: number } | undefined)?.id;
        const after = audit.table && createdId !== undefined ? await app.auditLog.snapshot(audit.table, createdId) : undefined;
        await app.auditLog.record({
          action: audit.action,
          actor: actorOf(req.auth),
          ip: req.ip,
          target: { type: audit.targetType, id: createdId ?? null },
          before,
          after: audit.table ? after : (body ?? undefined),
        });
      }
      if (reply.sent) return reply;
      if (result === undefined) return reply.code(reply.statusCode === 200 ? 204 : reply.statusCode).send();
      return result;
    },
  });
}

function authorize(req: FastifyRequest, access: Access): Principal | undefined {
  const principal = req.auth?.principal;
  if (access === "public") return principal;
  if (!principal) throw UnauthorizedError();
  if (access === "any") return principal;
  if (access === "customer") {
    if (principal.kind !== "customer") throw ForbiddenError("Only customers can do this.");
    return principal;
  }
  if (principal.kind !== "staff") throw ForbiddenError();
  if (Array.isArray(access) && !access.includes(principal.role)) throw ForbiddenError();
  return principal;
}
