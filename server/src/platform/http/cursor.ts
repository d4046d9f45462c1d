import { ValidationError } from "../errors";

/** Opaque cursors: the sort key values of the last row, base64url JSON. */
export const encodeCursor = (values: (string | number | null)[]) => Buffer.from(JSON.stringify(values)).toString("base64url");

export function decodeCursor(cursor: string): (string | number | null)[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.every((x) => x === null || typeof x === "string" || typeof x === "number")) return v;
  } catch {}
  throw ValidationError([{ path: "cursor", code: "invalid_cursor", message: "Invalid cursor." }]);
}
