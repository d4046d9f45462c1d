import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { StaffRole } from "@loopdesk/contracts/staff";
import { CsrfError, ForbiddenError, UnauthorizedError } from "../errors";
import type { Authentication, CustomerPrincipal, Principal, StaffPrincipal } from "../auth/principal";
import { parseInput } from "./validate";
import { registerOperation } from "./openapi";

declare module "fastify" {
  interface FastifyRequest {
    auth?: Authentication;
  }
}

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

/**
 * One route, its steps in order: authenticate → authorize by role → CSRF → validate → handler.
 * The same spec is recorded for the OpenAPI document.
 */
export function route<
  A extends Access,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(app: FastifyInstance, spec: RouteSpec<A, B, Q, P>): void {
  registerOperation(spec);
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit,
    handler: async (req, reply) => {
      const principal = authorize(req, spec.access);
      if (req.auth?.via === "session" && !SAFE_METHODS.has(req.method)) {
        const header = req.headers["x-csrf-token"];
        if (typeof header !== "string" || header !== req.auth.csrfToken) throw CsrfError();
      }
      const body = (spec.body ? parseInput(spec.body, req.body ?? {}) : undefined) as Out<B>;
      const query = (spec.query ? parseInput(spec.query, req.query ?? {}) : undefined) as Out<Q>;
      const params = (spec.params ? parseInput(spec.params, req.params ?? {}) : undefined) as Out<P>;
      const result = await spec.handler({ req, reply, principal: principal as PrincipalFor<A>, body, query, params });
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
