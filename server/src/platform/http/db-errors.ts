import { AppError } from "../errors";

/**
 * Database errors that can only come from what the client sent (a character PostgreSQL cannot
 * store, a value out of range, a race on a unique key) are client errors, never 5xx.
 */
export function clientErrorFromDatabase(err: unknown): AppError | undefined {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  switch (code) {
    case "22021": // character_not_in_repertoire (e.g. NUL)
    case "22P05": // untranslatable_character
    case "22001": // string_data_right_truncation
    case "22003": // numeric_value_out_of_range
    case "22007": // invalid_datetime_format
    case "22008": // datetime_field_overflow
    case "22P02": // invalid_text_representation
    case "2201B": // invalid_regular_expression
    case "54000": // program_limit_exceeded (e.g. index row too large)
    case "42P19": // invalid recursion in a query built from input
      return new AppError(400, "validation_failed", "A value in the request cannot be stored.", { dbCode: code });
    case "23505":
      return new AppError(409, "conflict", "This conflicts with an existing record.", { dbCode: code });
    case "23503":
      return new AppError(409, "conflict", "A referenced record does not exist or is still in use.", { dbCode: code });
    case "40001":
    case "40P01":
      return new AppError(409, "conflict", "A concurrent change got in the way; retry.", { dbCode: code });
    default:
      return undefined;
  }
}
