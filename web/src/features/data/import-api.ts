import type { ImportEntity, ImportJob, MappedField } from "@loopdesk/contracts/imports";
import { useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { ApiError, api } from "../../api/client";
import { errorText } from "../../app/error-text";

export type DistinctValues = Partial<
  Record<MappedField, { value: string; rows: number; mapped: string | number | null; known: boolean }[]>
>;

export const importKey = (id: number) => ["import", id] as const;

/** One import, polled while its job runs (the page can be reloaded: the job goes on in the server). */
export const useImport = (id: number) =>
  useQuery({
    queryKey: importKey(id),
    queryFn: () => api<ImportJob>(`/imports/${id}`),
    refetchInterval: (q) => (q.state.data && ["queued", "running"].includes(q.state.data.status) ? 1000 : false),
  });

/** The fields a column can fill, per entity (custom fields come as custom.<key>). */
export const FIELDS: Record<ImportEntity, string[]> = {
  tickets: [
    "externalId",
    "subject",
    "description",
    "status",
    "priority",
    "category",
    "department",
    "assignee",
    "channel",
    "customerName",
    "customerEmail",
    "customerPhone",
    "organization",
    "tags",
    "createdAt",
    "solvedAt",
    "closedAt",
    "reply",
  ],
  customers: ["externalId", "name", "email", "phone", "organization", "tier"],
  organizations: ["externalId", "name", "domain"],
};

/** An import refusal in words: the reason the server names, else the error's general text. */
export function importErrorText(t: TFunction, e: unknown) {
  const reason = e instanceof ApiError ? (e.details as { reason?: string; column?: string; maxMb?: number } | undefined) : undefined;
  if (reason?.reason)
    return t(`imports.reject.${reason.reason}`, { column: reason.column, maxMb: reason.maxMb, defaultValue: errorText(t, e) });
  const issues = e instanceof ApiError && Array.isArray(e.details) ? (e.details as { path: string; code: string }[]) : [];
  const unmapped = issues.filter((i) => i.code === "field_unmapped").map((i) => t(`imports.fields.${i.path.split(".")[1]}`));
  if (unmapped.length) return t("imports.reject.field_unmapped", { fields: unmapped.join("、") });
  return errorText(t, e);
}
