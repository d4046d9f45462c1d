import type { TFunction } from "i18next";
import { ApiError } from "../api/client";

/** Any error in words, in the user's language (never a raw code or a blank page). */
export const errorText = (t: TFunction, e: unknown) => {
  const details = e instanceof ApiError && e.details && typeof e.details === "object" ? (e.details as { retryAfterSeconds?: number }) : {};
  return t(`errors.${e instanceof ApiError ? e.code : "internal_error"}`, {
    defaultValue: t("errors.internal_error"),
    // e.g. "urge again in {{minutes}} minutes"
    minutes: details.retryAfterSeconds ? Math.ceil(details.retryAfterSeconds / 60) : undefined,
  });
};
