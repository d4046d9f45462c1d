import { z } from "zod";

export const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
export const idParams = z.object({ id: idSchema });

export const errorCodes = [
  "validation_failed",
  "malformed_json",
  "payload_too_large",
  "unsupported_media_type",
  "not_found",
  "unauthorized",
  "forbidden",
  "insufficient_scope",
  "two_factor_required",
  "csrf_failed",
  "invalid_transition",
  "precondition_failed",
  "conflict",
  "idempotency_conflict",
  "too_many_requests",
  "ticket_closed",
  "invalid_code",
  "already_urged",
  "own_ticket",
  "reply_required",
  "already_rated",
  "mail_unavailable",
  "mail_not_configured",
  "already_assigned",
  "not_offered",
  "at_capacity",
  "spam_suspected",
  "invalid_signature",
  "participant_only",
  "ai_disabled",
  "ai_unavailable",
  "already_answered",
  "retention_rule_exists",
  "step_finished",
  "step_taken",
  "backup_not_supported",
  "import_rejected",
  "internal_error",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** A page of a cursor-paginated list. */
/** A list answer without paging: `{ items }`. */
export function itemsOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const isoDate = z.string().describe("ISO 8601 timestamp");
export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

type WithoutDefault<S> = S extends z.ZodDefault<infer Inner> ? Inner : S;
type PatchShape<Shape extends z.ZodRawShape> = { [K in keyof Shape]: z.ZodOptional<WithoutDefault<Shape[K]>> };

/**
 * The PATCH body for a create body: every field optional and, unlike `.partial()`, without the
 * create body's defaults — a field left out of a PATCH must stay as it is, not be reset.
 */
export function patchBody<Shape extends z.ZodRawShape>(create: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(create.shape).map(([key, field]) => [
      key,
      z.optional((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType),
    ]),
  );
  return z.strictObject(shape as unknown as PatchShape<Shape>);
}
