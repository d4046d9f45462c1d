import type { ErrorCode } from "@loopdesk/contracts/common";

/** The one error type. `code` is stable and what clients (and the UI's i18n) key on. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const ValidationError = (details: unknown, message = "The request is not valid.") =>
  new AppError(400, "validation_failed", message, details);
export const NotFoundError = (what = "Resource") => new AppError(404, "not_found", `${what} not found.`);
export const UnauthorizedError = (message = "Sign in first.") => new AppError(401, "unauthorized", message);
export const ForbiddenError = (message = "You are not allowed to do this.") => new AppError(403, "forbidden", message);
export const CsrfError = () => new AppError(403, "csrf_failed", "Missing or wrong X-CSRF-Token header.");
export const InvalidTransitionError = (from: string, to: string) =>
  new AppError(409, "invalid_transition", `A ticket cannot move from ${from} to ${to}.`, { from, to });
export const ReplyRequiredError = () =>
  new AppError(409, "reply_required", "Reply to the customer before solving: their last message has no public answer yet.");
export const PreconditionFailedError = (details: unknown) =>
  new AppError(412, "precondition_failed", "The ticket changed since you loaded it.", details);
export const AlreadyAssignedError = () => new AppError(409, "already_assigned", "Someone else already has this ticket.");
export const NotOfferedError = () => new AppError(409, "not_offered", "This ticket is not offered for claiming.");
export const AtCapacityError = () => new AppError(409, "at_capacity", "You already have as many open tickets as your capacity allows.");
export const ConflictError = (message: string, details?: unknown) => new AppError(409, "conflict", message, details);
export const TooManyRequestsError = (retryAfterSeconds: number) =>
  new AppError(
    429,
    "too_many_requests",
    "Too many attempts; try again later.",
    { retryAfterSeconds },
    {
      "retry-after": String(retryAfterSeconds),
    },
  );
