import { z } from "zod";
import { errorBody } from "@loopdesk/contracts/common";

type Operation = {
  method: string;
  url: string;
  summary: string;
  tags: string[];
  access: unknown;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  responses?: Record<number, z.ZodType | null>;
  /** The audit log's action for a call, when calls are recorded. */
  auditAction?: string;
  /** The scope an API token needs. */
  tokenScope?: string;
};

const operations: Operation[] = [];
const seen = new Set<string>();

export function registerOperation(op: Operation) {
  const key = `${op.method} ${op.url}`;
  if (seen.has(key)) return; // one app per process in production, many in tests
  seen.add(key);
  operations.push(op);
}

const toSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;

function parametersFrom(schema: z.ZodType | undefined, where: "query" | "path") {
  if (!schema) return [];
  const json = toSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema: s,
  }));
}

/** OpenAPI 3.1 document built from the same zod schemas that validate requests. */
export function buildOpenApiDocument(info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(op.responses ?? { 200: null })) {
      responses[status] = {
        description: Number(status) < 300 ? "Success" : "Error",
        ...(schema ? { content: { "application/json": { schema: toSchema(schema, "output") } } } : {}),
      };
    }
    responses.default = { description: "Error", content: { "application/json": { schema: toSchema(errorBody, "output") } } };
    const security = op.access === "public" ? [] : [{ session: [] }, { bearer: [] }];
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      summary: op.summary,
      tags: op.tags,
      security,
      parameters: [...parametersFrom(op.params, "path"), ...parametersFrom(op.query, "query")],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(op.body, "input") } } } } : {}),
      responses,
      ...(op.auditAction ? { "x-audit-action": op.auditAction } : {}),
      ...(op.tokenScope ? { "x-token-scope": op.tokenScope } : {}),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Loopdesk API",
      version: info.version,
      description: "Loopdesk ticket system REST API. Errors always have the shape { error: { code, message, details } }.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "loopdesk_session", description: "Writes also need the X-CSRF-Token header." },
        bearer: { type: "http", scheme: "bearer", description: "API token from POST /api/v1/tokens." },
      },
    },
    paths,
  };
}
