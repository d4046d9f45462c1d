import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, type FormInstance } from "antd";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";

/** A list endpoint answering `{ items }`, cached under its path. */
export const useList = <T>(path: string, enabled = true) =>
  useQuery({ queryKey: [path.slice(1)], enabled, queryFn: async () => (await api<{ items: T[] }>(path)).items });

/**
 * Creates (POST path) or changes (PATCH path/id) one record, then refreshes the list. Field errors
 * land on the form's fields; anything else is shown as a message.
 */
export function useSave<T>(
  path: string,
  opts: {
    form?: FormInstance;
    onDone?: (saved: T) => void;
    also?: string[];
    fieldOf?: (path: string) => string | (string | number)[];
    /** No form fields to put errors on (e.g. nested lists): name each problem in the message. */
    listDetails?: boolean;
  } = {},
) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: number; body: unknown }) =>
      api<T>(id ? `${path}/${id}` : path, { method: id ? "PATCH" : "POST", body }),
    onSuccess: (saved) => {
      void message.success(t("common.saved"));
      opts.onDone?.(saved);
    },
    onError: (e) => {
      if (opts.listDetails && e instanceof ApiError && Array.isArray(e.details))
        void message.error(
          (e.details as { path: string; code?: string; message?: string }[])
            .map((d) => `${d.path}: ${t(`validation.${d.code}`, { defaultValue: d.message ?? t("form.invalid") })}`)
            .join(t("common.clauseSep")),
        );
      else if (!(opts.form && showFieldErrors(opts.form, t, e, opts.fieldOf))) void message.error(errorText(t, e));
    },
    onSettled: () => {
      for (const key of [path.slice(1), ...(opts.also ?? [])]) void qc.invalidateQueries({ queryKey: [key] });
    },
  });
}

/** Deletes one record (DELETE path/id), then refreshes the list; errors are shown as a message. */
export function useRemove(path: string) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api(`${path}/${id}`, { method: "DELETE" }),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: [path.slice(1)] }),
  });
}
