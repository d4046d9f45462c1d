/** Types a browser may show inline; everything else downloads as application/octet-stream. */
const INLINE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"]);

/**
 * The headers that keep a stored upload inert in a browser: its sniffed type only when safe to
 * show inline (never HTML or SVG), no sniffing, and a sandbox with nothing allowed.
 */
export function inertFileHeaders(file: { content_type: string; size: number; filename: string }, cache: "private" | "public" = "private") {
  const inline = INLINE_TYPES.has(file.content_type);
  const encoded = encodeURIComponent(file.filename);
  return {
    "content-type": inline
      ? file.content_type === "text/plain"
        ? "text/plain; charset=utf-8"
        : file.content_type
      : "application/octet-stream",
    "content-length": String(file.size),
    "content-disposition": `${inline ? "inline" : "attachment"}; filename="${encoded}"; filename*=UTF-8''${encoded}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cache-control": `${cache}, max-age=3600`,
  };
}
