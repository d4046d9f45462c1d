import type { z } from "zod";
import { ValidationError } from "../errors";

/** Parses input with a shared schema; failures become 400 validation_failed with per-field issues. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw ValidationError(result.error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: i.message })));
  }
  return result.data;
}
