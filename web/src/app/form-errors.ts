import type { FormInstance } from "antd";
import type { TFunction } from "i18next";
import { ApiError } from "../api/client";

/**
 * Puts a validation_failed answer's details on the form's fields (by their path, in the user's
 * language); answers false when the error is not about fields, so the caller shows it otherwise.
 */
export function showFieldErrors(
  form: FormInstance,
  t: TFunction,
  e: unknown,
  fieldOf: (path: string) => string | (string | number)[] = (p) => p.split("."),
): boolean {
  if (!(e instanceof ApiError && e.code === "validation_failed" && Array.isArray(e.details))) return false;
  form.setFields(
    (e.details as { path: string; code?: string; message?: string }[]).map((d) => ({
      name: fieldOf(d.path),
      // Our own rules put a stable code in the message (e.g. "invalid_pattern"); zod's issues carry theirs in code.
      errors: [t(`validation.${d.message}`, { defaultValue: t(`validation.${d.code}`, { defaultValue: t("form.invalid") }) })],
    })),
  );
  return true;
}
