import type { ErrorBody } from "@loopdesk/contracts/common";

/** An API error in the shared shape; `code` is what the UI translates. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
/** For requests sent outside api(), e.g. keepalive beacons while a page closes. */
export const writeHeaders = (): Record<string, string> => ({
  "content-type": "application/json",
  ...(csrfToken ? { "x-csrf-token": csrfToken } : {}),
});
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/** Calls /api/v1 with the session cookie; writes carry the CSRF header. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network_error", "Network error");
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (data as ErrorBody | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? "internal_error", err?.message ?? res.statusText, err?.details);
  }
  return data as T;
}

export type UploadedFile = { id: number; filename: string; contentType: string; size: number; url: string };

/**
 * Uploads one file (multipart) and answers what the server made of it: an attachment for a message
 * or ticket, (`/kb/files`) an article's file, or (`/imports`, with fields sent before the file) an import.
 */
export function uploadFile<T = UploadedFile>(file: File, path = "/attachments", fields: Record<string, string> = {}): Promise<T> {
  return uploadFiles<T>([file], path, fields);
}

/** Several files in one multipart request (each as a `file` part, after the fields). */
export async function uploadFiles<T>(files: File[], path: string, fields: Record<string, string> = {}): Promise<T> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const file of files) form.append("file", file, file.name);
  const res = await fetch(`/api/v1${path}`, {
    method: "POST",
    body: form,
    credentials: "same-origin",
    headers: csrfToken ? { "x-csrf-token": csrfToken } : {},
  });
  const data = await res.json().catch(() => undefined);
  if (!res.ok)
    throw new ApiError(res.status, data?.error?.code ?? "internal_error", data?.error?.message ?? res.statusText, data?.error?.details);
  return data as T;
}
